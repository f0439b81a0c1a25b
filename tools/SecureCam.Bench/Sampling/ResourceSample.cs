namespace SecureCam.Bench.Sampling;

/// <summary>CPU seconds used so far and resident memory now, summed over a process tree.</summary>
internal readonly record struct ResourceSample(DateTime At, double CpuSeconds, long ResidentBytes, int Processes);
