using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsCertificate = Org.BouncyCastle.Tls.Certificate;

namespace SecureCam.Telemetry;

/// <summary>The collector's BouncyCastle server profile for one camera session; judges the camera's device certificate.</summary>
internal sealed class CollectorTlsServer : DefaultTlsServer
{
    private readonly CollectorOptions _options;
    private readonly BcTlsCrypto _crypto;

    public CollectorTlsServer(CollectorOptions options, BcTlsCrypto crypto)
        : base(crypto)
    {
        _options = options;
        _crypto = crypto;
    }

    /// <summary>The verified camera name (the device certificate's CN), or null when the camera is unverified.</summary>
    public string? CameraName { get; private set; }

    public string? CameraFingerprint { get; private set; }

    /// <summary>Why the camera was refused, when it was.</summary>
    public string? RefusalReason { get; private set; }

    protected override ProtocolVersion[] GetSupportedVersions() => DtlsPolicy.Versions;

    protected override int[] GetSupportedCipherSuites() => DtlsPolicy.CipherSuites;

    public override int[] GetSupportedGroups() => DtlsPolicy.NamedCurves;

    public override bool RequiresExtendedMasterSecret() => true;

    public override int GetMaxCertificateChainLength() => DtlsPolicy.MaxCertificateChainLength;

    public override int GetMaxHandshakeMessageSize() => DtlsPolicy.MaxHandshakeMessageSize;

    public override int GetHandshakeTimeoutMillis() => (int)_options.HandshakeTimeout.TotalMilliseconds;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => _options.Identity.CreateSigner(m_context, _crypto);

    public override CertificateRequest? GetCertificateRequest()
    {
        if (_options.ClientCa is null)
        {
            return null;
        }

        var algorithms = new List<SignatureAndHashAlgorithm>
        {
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
        };
        return new CertificateRequest([ClientCertificateType.ecdsa_sign], algorithms, null);
    }

    public override void NotifyClientCertificate(TlsCertificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            if (_options.RequireClientCertificate)
            {
                RefusalReason = "the camera showed no device certificate";
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }

            return;
        }

        var presented = CertificateFiles.FromTlsCertificate(clientCertificate);
        CameraFingerprint = PeerCertificateCheck.Fingerprint(presented[0]);
        var problem = PeerCertificateCheck.CheckKey(presented[0])
            ?? PeerCertificateCheck.CheckChain(presented, _options.ClientCa!, peerIsServer: false)
            ?? CheckNotAViewer(presented[0]);
        if (problem is not null)
        {
            RefusalReason = "device certificate refused: " + problem;
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }

        CameraName = PeerCertificateCheck.CommonName(presented[0]);
    }

    /// <summary>
    /// A phone's viewer or admin certificate has clientAuth from the same CA, so the chain check alone
    /// would let it pose as a camera; such certificates carry their role (OU), device certificates none.
    /// </summary>
    private static string? CheckNotAViewer(System.Security.Cryptography.X509Certificates.X509Certificate2 leaf) =>
        Pki.CertificateProfiles.ReadRole(leaf) is { } role
            ? $"'{PeerCertificateCheck.CommonName(leaf)}' is a {role.ToString().ToLowerInvariant()} certificate, not a camera's"
            : null;
}
