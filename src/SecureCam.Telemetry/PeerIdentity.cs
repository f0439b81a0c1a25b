namespace SecureCam.Telemetry;

/// <summary>
/// What the camera knows about the collector after a handshake. Encryption-only is never silent: it always carries
/// the fingerprint of the certificate the peer showed, and <see cref="Describe"/> says "peer not verified".
/// </summary>
public sealed record PeerIdentity(
    TelemetryMode Mode,
    bool Verified,
    string? VerifiedName,
    string Fingerprint,
    string Subject,
    string Issuer,
    DateTime NotAfter)
{
    public string Describe() => Verified
        ? $"peer verified: {VerifiedName} (chains to the given CA; SHA-256 {Fingerprint})"
        : $"peer not verified: it showed \"{Subject}\" issued by \"{Issuer}\", SHA-256 {Fingerprint}";
}
