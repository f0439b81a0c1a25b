using SecureCam.Bench.Workloads;

namespace SecureCam.Bench.Sampling;

/// <summary>
/// One sampler per `--server-pid` (each with its descendants), read together at the start and end of
/// a window. Several are allowed because a "server" may be two programs: nginx and the streamer it
/// proxies count as one stack against SecureCam.
/// </summary>
internal sealed class ServerSamplers : IAsyncDisposable
{
    private readonly IReadOnlyList<ProcessSampler> _samplers;

    public ServerSamplers(IReadOnlyList<ProcessSampler> samplers)
    {
        _samplers = samplers;
    }

    public static ServerSamplers None { get; } = new([]);

    /// <summary>A reading of every sampler now (null entries for processes that are gone).</summary>
    public IReadOnlyList<ResourceSample?> SampleNow() => _samplers.Select(s => s.SampleNow()).ToList();

    /// <summary>Each process tree's usage over the window, and their sum; null when nothing was sampled.</summary>
    public (ServerUsage? Total, IReadOnlyList<ServerUsage> ByProcess) Measure(
        IReadOnlyList<ResourceSample?> start, IReadOnlyList<ResourceSample?> end, long unitsOfWork)
    {
        var parts = _samplers
            .Select((sampler, i) => ServerUsageMeter.Measure(sampler, start[i], end[i], unitsOfWork))
            .OfType<ServerUsage>()
            .ToList();
        return (ServerUsageMeter.Sum(parts), parts);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sampler in _samplers)
        {
            await sampler.DisposeAsync().ConfigureAwait(false);
        }
    }
}
