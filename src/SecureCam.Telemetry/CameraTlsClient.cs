using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace SecureCam.Telemetry;

/// <summary>The BouncyCastle client profile of a camera: DTLS 1.2 only, ECDHE-ECDSA AES-GCM, EMS required, bounded handshake.</summary>
internal sealed class CameraTlsClient : DefaultTlsClient
{
    private readonly ClientSettings _settings;
    private readonly BcTlsCrypto _crypto;

    public CameraTlsClient(ClientSettings settings, BcTlsCrypto crypto)
        : base(crypto)
    {
        _settings = settings;
        _crypto = crypto;
    }

    public CameraTlsAuthentication? Authentication { get; private set; }

    /// <summary>The alert the collector sent us, if it ended the handshake with one.</summary>
    public short? AlertReceived { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => DtlsPolicy.Versions;

    protected override int[] GetSupportedCipherSuites() => DtlsPolicy.CipherSuites;

    protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles) => [.. DtlsPolicy.NamedCurves];

    public override bool RequiresExtendedMasterSecret() => true;

    public override int GetMaxCertificateChainLength() => DtlsPolicy.MaxCertificateChainLength;

    public override int GetMaxHandshakeMessageSize() => DtlsPolicy.MaxHandshakeMessageSize;

    // The default, 0, retries forever.
    public override int GetHandshakeTimeoutMillis() => (int)_settings.HandshakeTimeout.TotalMilliseconds;

    public override TlsAuthentication GetAuthentication()
    {
        Authentication = new CameraTlsAuthentication(_settings, m_context, _crypto);
        return Authentication;
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        if (alertLevel == AlertLevel.fatal)
        {
            AlertReceived = alertDescription;
        }

        base.NotifyAlertReceived(alertLevel, alertDescription);
    }
}
