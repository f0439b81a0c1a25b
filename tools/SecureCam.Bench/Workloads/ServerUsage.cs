namespace SecureCam.Bench.Workloads;

/// <summary>
/// The server's use of the machine during the measured window, from /proc: CPU as a percentage of one
/// core, CPU per unit of work (a connection, or a delivered frame), and RSS (mean and highest sample).
/// </summary>
internal sealed record ServerUsage(
    int Pid,
    int Processes,
    double CpuPercent,
    double CpuMicrosecondsPerUnit,
    double RssMeanMb,
    double RssMaxMb);
