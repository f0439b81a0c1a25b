using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Telemetry;

/// <summary>What one DTLS client connection needs: the mode, what to trust, who we expect, who we are.</summary>
public sealed record ClientSettings
{
    public required TelemetryMode Mode { get; init; }

    /// <summary>The local CA the collector must chain to (verified mode).</summary>
    public X509Certificate2Collection? TrustAnchor { get; init; }

    /// <summary>The DNS name or IP address the collector's certificate must carry (verified mode).</summary>
    public string? ExpectedName { get; init; }

    /// <summary>
    /// The live CRL of <see cref="TrustAnchor"/> (verified mode): a revoked collector certificate is refused at the
    /// handshake, and a connection to a collector whose certificate gets revoked is ended. Null = no revocation check.
    /// </summary>
    public RevocationFile? Revocation { get; init; }

    /// <summary>The camera's device certificate, shown when the collector asks for one (mutual DTLS).</summary>
    public DtlsIdentity? DeviceIdentity { get; init; }

    public TimeSpan HandshakeTimeout { get; init; } = DtlsPolicy.DefaultHandshakeTimeout;

    /// <summary>Throws a one-line error when verified mode lacks what it needs.</summary>
    public void Validate()
    {
        if (Mode != TelemetryMode.Verified)
        {
            if (Revocation is not null)
            {
                throw new TelemetryConfigurationException("a CRL (--crl / Telemetry:CrlFile) means nothing in encrypt-only mode: the collector is not verified at all");
            }

            return;
        }

        if (TrustAnchor is null || TrustAnchor.Count == 0)
        {
            throw new TelemetryConfigurationException("verified mode needs the CA certificate the collector must chain to (--ca / Telemetry:CaFile)");
        }

        if (string.IsNullOrWhiteSpace(ExpectedName))
        {
            throw new TelemetryConfigurationException("verified mode needs the collector's expected name (--server-name / Telemetry:ExpectedName)");
        }
    }
}
