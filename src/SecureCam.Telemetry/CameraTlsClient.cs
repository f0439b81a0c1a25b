using Org.BouncyCastle.Crypto.Tls;

namespace SecureCam.Telemetry;

/// <summary>The BouncyCastle client profile of a camera: DTLS 1.2 only, ECDHE-ECDSA AES-GCM, EMS required, bounded handshake.</summary>
internal sealed class CameraTlsClient : DefaultTlsClient
{
    private readonly ClientSettings _settings;

    public CameraTlsClient(ClientSettings settings)
    {
        _settings = settings;
    }

    public CameraTlsAuthentication? Authentication { get; private set; }

    /// <summary>The alert the collector sent us, if it ended the handshake with one.</summary>
    public byte? AlertReceived { get; private set; }

    // Both must be DTLS 1.2: with the TLS defaults DtlsClientProtocol fails with internal_error.
    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => DtlsPolicy.CipherSuites;

    public override bool RequiresExtendedMasterSecret() => true;

    // The default, 0, retries forever.
    public override int GetHandshakeTimeoutMillis() => (int)_settings.HandshakeTimeout.TotalMilliseconds;

    public override TlsAuthentication GetAuthentication()
    {
        Authentication = new CameraTlsAuthentication(_settings, mContext);
        return Authentication;
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription)
    {
        if (alertLevel == AlertLevel.fatal)
        {
            AlertReceived = alertDescription;
        }

        base.NotifyAlertReceived(alertLevel, alertDescription);
    }
}
