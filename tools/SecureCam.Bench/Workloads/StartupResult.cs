using SecureCam.Bench.Stats;

namespace SecureCam.Bench.Workloads;

/// <summary>What `securecam-bench startup` measured over its runs; written as JSON for compare.sh.</summary>
internal sealed record StartupResult(
    string Url,
    string Command,
    int Runs,
    Distribution FirstFrameMs,
    Distribution IdleRssMb,
    double SettleSeconds,
    IReadOnlyList<string> Failures);
