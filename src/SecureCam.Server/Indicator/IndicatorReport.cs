namespace SecureCam.Server.Indicator;

/// <summary>The being-watched light in /api/status: configured at all, lit now, the streams it shows, each output.</summary>
internal sealed record IndicatorReport(bool Configured, bool Lit, int Streams, IReadOnlyList<IndicatorOutputReport> Outputs);

/// <summary>One output: "gpio" or "board-led", what it drives, whether it works, and why not.</summary>
internal sealed record IndicatorOutputReport(string Kind, string Target, bool Working, string? Problem);
