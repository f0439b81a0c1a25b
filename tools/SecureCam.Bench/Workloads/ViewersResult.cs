using SecureCam.Bench.Stats;

namespace SecureCam.Bench.Workloads;

/// <summary>
/// What `securecam-bench viewers` measured over its window; written as JSON for compare.sh.
/// <see cref="NegotiatedTls"/> counts the viewers by protocol and cipher suite ("Tls13 TLS_AES_128_GCM_SHA256").
/// </summary>
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
    IReadOnlyDictionary<string, long> TopErrors,
    IReadOnlyDictionary<string, int> NegotiatedTls);
