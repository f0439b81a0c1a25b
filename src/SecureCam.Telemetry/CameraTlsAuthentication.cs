using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace SecureCam.Telemetry;

/// <summary>The camera's side of authentication: judges the collector's certificate and offers the device certificate.</summary>
internal sealed class CameraTlsAuthentication : TlsAuthentication
{
    private readonly ClientSettings _settings;
    private readonly TlsContext _context;
    private readonly BcTlsCrypto _crypto;

    public CameraTlsAuthentication(ClientSettings settings, TlsContext context, BcTlsCrypto crypto)
    {
        _settings = settings;
        _context = context;
        _crypto = crypto;
    }

    /// <summary>Set once the collector's certificate was seen; read after the handshake.</summary>
    public PeerIdentity? Peer { get; private set; }

    /// <summary>Why the collector was refused, when it was.</summary>
    public string? RefusalReason { get; private set; }

    public bool DeviceCertificateSent { get; private set; }

    public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
    {
        var certificate = serverCertificate?.Certificate;
        if (certificate is null || certificate.IsEmpty)
        {
            Refuse("the collector showed no certificate");
        }

        var presented = CertificateFiles.FromTlsCertificate(certificate);
        var leaf = presented[0];
        var fingerprint = PeerCertificateCheck.Fingerprint(leaf);
        Peer = new PeerIdentity(_settings.Mode, false, null, fingerprint, leaf.Subject, leaf.Issuer, leaf.NotAfter.ToUniversalTime());

        // Even encryption-only refuses keys we do not handle: the rule protects our CPU, not the identity.
        var keyProblem = PeerCertificateCheck.CheckKey(leaf);
        if (keyProblem is not null)
        {
            Refuse(keyProblem);
        }

        if (_settings.Mode != TelemetryMode.Verified)
        {
            return;
        }

        var chainProblem = PeerCertificateCheck.CheckChain(presented, _settings.TrustAnchor!, peerIsServer: true);
        if (chainProblem is not null)
        {
            Refuse(chainProblem);
        }

        if (!PeerCertificateCheck.MatchesName(leaf, _settings.ExpectedName!))
        {
            Refuse($"the certificate is not for \"{_settings.ExpectedName}\" (no matching DNS or IP subject alternative name)");
        }

        Peer = Peer with { Verified = true, VerifiedName = _settings.ExpectedName };
    }

    public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
    {
        var identity = _settings.DeviceIdentity;
        if (identity is null)
        {
            // An empty Certificate message: the collector decides whether it accepts a camera without one.
            return null;
        }

        DeviceCertificateSent = true;
        return identity.CreateSigner(_context, _crypto);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(string reason)
    {
        RefusalReason = reason;
        throw new TlsFatalAlert(AlertDescription.bad_certificate);
    }
}
