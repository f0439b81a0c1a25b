using System.Diagnostics;

namespace SecureCam.Bench.Sampling;

/// <summary>The bench's own CPU over a window, to show how much of the two cores the client took.</summary>
internal sealed class SelfCpu
{
    private readonly TimeSpan _startCpu;
    private readonly long _startTimestamp;

    private SelfCpu(TimeSpan startCpu, long startTimestamp)
    {
        _startCpu = startCpu;
        _startTimestamp = startTimestamp;
    }

    public static SelfCpu Start()
    {
        using var self = Process.GetCurrentProcess();
        return new SelfCpu(self.TotalProcessorTime, Stopwatch.GetTimestamp());
    }

    /// <summary>CPU used since <see cref="Start"/> as a percentage of one core.</summary>
    public double PercentOfOneCore()
    {
        using var self = Process.GetCurrentProcess();
        var cpu = (self.TotalProcessorTime - _startCpu).TotalSeconds;
        var wall = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        return wall > 0 ? cpu / wall * 100 : double.NaN;
    }
}
