using SecureCam.Bench.Stats;

namespace SecureCam.Bench.Workloads;

/// <summary>What `securecam-bench viewers` measured over its window; written as JSON for compare.sh.</summary>
internal sealed record ViewersResult(
    string Url,
    int Viewers,
    int Connected,
    double Seconds,
    Distribution ViewerFps,
    double TotalFramesPerSecond,
    double MegabytesPerSecond,
    double MeanFrameKb,
    Distribution DelayMs,
    long FramesDelivered,
    long FramesMissed,
    double MissedPercent,
    long PartsNotJpeg,
    long PartsWithoutCaptureTime,
    long Errors,
    double ClientCpuPercent,
    ServerUsage? Server,
    IReadOnlyList<ServerUsage> ServerProcesses,
    IReadOnlyDictionary<string, long> TopErrors);
