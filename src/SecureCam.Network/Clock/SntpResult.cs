namespace SecureCam.Network.Clock;

/// <summary>
/// What one SNTP exchange found: <see cref="Offset"/> is how far the local clock is behind the server
/// (positive: the local clock is slow), <see cref="RoundTrip"/> the network delay.
/// </summary>
public sealed record SntpResult(NtpServerAddress Server, TimeSpan Offset, TimeSpan RoundTrip, int Stratum);
