using Org.BouncyCastle.Crypto.Tls;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace SecureCam.Telemetry;

/// <summary>The camera's side of authentication: judges the collector's certificate and offers the device certificate.</summary>
internal sealed class CameraTlsAuthentication : TlsAuthentication
{
    private readonly ClientSettings _settings;
    private readonly TlsContext _context;

    public CameraTlsAuthentication(ClientSettings settings, TlsContext context)
    {
        _settings = settings;
        _context = context;
    }

    /// <summary>Set once the collector's certificate was seen; read after the handshake.</summary>
    public PeerIdentity? Peer { get; private set; }

    /// <summary>Why the collector was refused, when it was.</summary>
    public string? RefusalReason { get; private set; }

    public bool DeviceCertificateSent { get; private set; }

    public void NotifyServerCertificate(TlsCertificate serverCertificate)
    {
        if (serverCertificate is null || serverCertificate.IsEmpty)
        {
            Refuse("the collector showed no certificate");
        }

        var presented = CertificateFiles.FromTlsCertificate(serverCertificate!);
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
        return new DefaultTlsSignerCredentials(_context, identity.TlsCertificate, identity.PrivateKey, identity.SignatureAlgorithm);
    }

    private void Refuse(string reason)
    {
        RefusalReason = reason;
        throw new TlsFatalAlert(AlertDescription.bad_certificate);
    }
}
