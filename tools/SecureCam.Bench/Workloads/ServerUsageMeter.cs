using SecureCam.Bench.Sampling;

namespace SecureCam.Bench.Workloads;

/// <summary>Turns a sampler's readings at the start and end of a window into a <see cref="ServerUsage"/>.</summary>
internal static class ServerUsageMeter
{
    public static ServerUsage? Measure(ProcessSampler sampler, ResourceSample? start, ResourceSample? end, long unitsOfWork)
    {
        if (start is null || end is null)
        {
            return null;
        }

        var seconds = (end.Value.At - start.Value.At).TotalSeconds;
        var cpu = end.Value.CpuSeconds - start.Value.CpuSeconds;
        var samples = sampler.Between(start.Value.At, end.Value.At);
        const double mb = 1024 * 1024;
        return new ServerUsage(
            [sampler.RootPid],
            end.Value.Processes,
            seconds > 0 ? cpu / seconds * 100 : double.NaN,
            unitsOfWork > 0 ? cpu * 1e6 / unitsOfWork : double.NaN,
            samples.Count > 0 ? samples.Average(s => s.ResidentBytes) / mb : double.NaN,
            samples.Count > 0 ? samples.Max(s => s.ResidentBytes) / mb : double.NaN);
    }

    /// <summary>Several servers taken as one stack: CPU and memory add up.</summary>
    public static ServerUsage? Sum(IReadOnlyList<ServerUsage> parts) => parts.Count switch
    {
        0 => null,
        1 => parts[0],
        _ => new ServerUsage(
            [.. parts.SelectMany(p => p.Pids)],
            parts.Sum(p => p.Processes),
            parts.Sum(p => p.CpuPercent),
            parts.Sum(p => p.CpuMicrosecondsPerUnit),
            parts.Sum(p => p.RssMeanMb),
            parts.Sum(p => p.RssMaxMb)),
    };
}
