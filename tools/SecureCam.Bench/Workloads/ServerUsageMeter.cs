using SecureCam.Bench.Sampling;

namespace SecureCam.Bench.Workloads;

/// <summary>Turns a sampler's readings at the start and end of a window into a <see cref="ServerUsage"/>.</summary>
internal static class ServerUsageMeter
{
    public static ServerUsage? Measure(ProcessSampler? sampler, ResourceSample? start, ResourceSample? end, long unitsOfWork)
    {
        if (sampler is null || start is null || end is null)
        {
            return null;
        }

        var seconds = (end.Value.At - start.Value.At).TotalSeconds;
        var cpu = end.Value.CpuSeconds - start.Value.CpuSeconds;
        var samples = sampler.Between(start.Value.At, end.Value.At);
        const double mb = 1024 * 1024;
        return new ServerUsage(
            sampler.RootPid,
            end.Value.Processes,
            seconds > 0 ? cpu / seconds * 100 : double.NaN,
            unitsOfWork > 0 ? cpu * 1e6 / unitsOfWork : double.NaN,
            samples.Count > 0 ? samples.Average(s => s.ResidentBytes) / mb : double.NaN,
            samples.Count > 0 ? samples.Max(s => s.ResidentBytes) / mb : double.NaN);
    }
}
