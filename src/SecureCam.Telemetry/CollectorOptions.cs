using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Telemetry;

/// <summary>How a collector listens and whom it accepts.</summary>
public sealed record CollectorOptions
{
    public required IPEndPoint Listen { get; init; }

    /// <summary>The collector's own certificate (serverAuth, with the DNS/IP name cameras expect) and key.</summary>
    public required DtlsIdentity Identity { get; init; }

    /// <summary>The CA device certificates must chain to; null = never ask cameras for a certificate.</summary>
    public X509Certificate2Collection? ClientCa { get; init; }

    /// <summary>
    /// The live CRL of <see cref="ClientCa"/>: a revoked device certificate is refused at the handshake, and an open
    /// session whose device certificate gets revoked is ended. Null = no revocation check.
    /// </summary>
    public RevocationFile? ClientCrl { get; init; }

    /// <summary>Refuse cameras that show no device certificate (needs <see cref="ClientCa"/>).</summary>
    public bool RequireClientCertificate { get; init; }

    public TimeSpan HandshakeTimeout { get; init; } = DtlsPolicy.DefaultHandshakeTimeout;

    /// <summary>A session with no datagram for this long is dropped (its camera will reconnect).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Sessions still in their handshake at once. Only hellos that returned our cookie count (a spoofed source never
    /// sees one), so this bounds what real but misbehaving peers can make us hold.
    /// </summary>
    public int MaxPendingHandshakes { get; init; } = 64;

    /// <summary>Sessions at once, established or not.</summary>
    public int MaxSessions { get; init; } = 1024;

    /// <summary>Called on the session's thread after each record is written; must be quick and must not throw.</summary>
    public Action<ReceivedRecord>? RecordReceived { get; init; }

    /// <summary>
    /// Records per second one camera without a verified device certificate may have written (encryption-only peers:
    /// anyone who can reach the port). Ours send one per 10 s; the burst of 64 covers a reconnect's resend window (32).
    /// Beyond it records are dropped unacknowledged, and counted. Verified cameras are not limited.
    /// </summary>
    public int UnverifiedRecordsPerSecond { get; init; } = 10;

    /// <summary>Records per second from all unverified cameras together, so many such sessions cannot fill the disk.</summary>
    public int UnverifiedRecordsPerSecondTotal { get; init; } = 200;

    public void Validate()
    {
        if (RequireClientCertificate && ClientCa is null)
        {
            throw new TelemetryConfigurationException("--require-client-cert needs --ca (the CA device certificates must chain to)");
        }

        if (ClientCrl is not null && ClientCa is null)
        {
            throw new TelemetryConfigurationException("--crl needs --ca (the CA that signed the CRL and the device certificates)");
        }

        if (HandshakeTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero || MaxPendingHandshakes < 1 || MaxSessions < 1
            || UnverifiedRecordsPerSecond < 1 || UnverifiedRecordsPerSecondTotal < 1)
        {
            throw new TelemetryConfigurationException("collector limits must be positive");
        }
    }
}
