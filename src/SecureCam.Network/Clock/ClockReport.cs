namespace SecureCam.Network.Clock;

/// <summary>The clock's offset from NTP in seconds (null when unknown) and where it came from.</summary>
public sealed record ClockReport(double? OffsetSeconds, string Source);
