using SecureCam.Bench.Stats;

namespace SecureCam.Bench.Workloads;

/// <summary>What `securecam-bench handshakes` measured; written as JSON for compare.sh.</summary>
internal sealed record HandshakeResult(
    string Url,
    int Concurrency,
    double Seconds,
    long Connections,
    long Errors,
    double ConnectionsPerSecond,
    Distribution HandshakeMs,
    Distribution TotalMs,
    long SnapshotBytes,
    double ClientCpuPercent,
    ServerUsage? Server,
    IReadOnlyList<ServerUsage> ServerProcesses,
    IReadOnlyDictionary<string, long> TopErrors);
