namespace SecureCam.Bench.Workloads;

/// <summary>
/// A server's use of the machine during the measured window, from /proc: CPU as a percentage of one
/// core, CPU per unit of work (a connection, or a delivered frame), and RSS (mean and highest sample).
/// For several servers taken together, the sums (the RSS maxima are summed, an upper bound).
/// </summary>
internal sealed record ServerUsage(
    IReadOnlyList<int> Pids,
    int Processes,
    double CpuPercent,
    double CpuMicrosecondsPerUnit,
    double RssMeanMb,
    double RssMaxMb);
