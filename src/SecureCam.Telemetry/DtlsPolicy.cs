using Org.BouncyCastle.Tls;

namespace SecureCam.Telemetry;

/// <summary>The one DTLS profile both ends speak; kept in one place so client and collector cannot drift.</summary>
public static class DtlsPolicy
{
    /// <summary>DTLS 1.2 only: BouncyCastle has no DTLS 1.3, and 1.0 lacks AEAD suites.</summary>
    public static ProtocolVersion[] Versions => ProtocolVersion.DTLSv12.Only();

    /// <summary>ECDHE-ECDSA with AES-GCM only: forward secrecy, no RSA key exchange, no CBC.</summary>
    public static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ];

    /// <summary>The groups offered for ECDHE: P-256 and P-384, the curves our PKI issues.</summary>
    public static readonly int[] NamedCurves = [NamedGroup.secp256r1, NamedGroup.secp384r1];

    /// <summary>Leaf plus CA, with room for one intermediate; BouncyCastle's default (10) only costs parsing time.</summary>
    public const int MaxCertificateChainLength = 3;

    /// <summary>
    /// Largest handshake message we reassemble. Our Certificate message (two certificates) is under 2 KB;
    /// BouncyCastle's default (32 KB) would let a peer make us buffer far more per handshake.
    /// </summary>
    public const int MaxHandshakeMessageSize = 8 * 1024;

    /// <summary>
    /// Default bound on one handshake. BouncyCastle's default is 0 = retry forever (backoff up to 60 s). 10 s leaves
    /// room for three retransmissions (1 s + 2 s + 4 s) on a lossy path.
    /// </summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// UDP payload we allow ourselves per datagram: 1500 (Ethernet MTU) minus IPv6 (40) and UDP (8) headers, the
    /// smaller of the two families, so a datagram is never IP-fragmented on an ordinary path.
    /// </summary>
    public const int DatagramLimit = 1452;

    /// <summary>Large receive buffer: a peer's handshake flight may come in datagrams bigger than ours.</summary>
    public const int ReceiveLimit = 16 * 1024 + 512;

    /// <summary>The readable name of a TLS alert ("bad_certificate").</summary>
    public static string AlertName(short alert) => AlertDescription.GetName(alert);
}
