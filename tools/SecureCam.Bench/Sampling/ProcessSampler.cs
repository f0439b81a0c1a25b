namespace SecureCam.Bench.Sampling;

/// <summary>
/// Samples a process tree's CPU time and RSS from /proc every interval while a workload runs, so the
/// bench can report the server's CPU share, its CPU per delivered frame and its memory. Reading
/// /proc costs the bench a little CPU, but nothing in the server (no agent, no counters in-process).
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    private readonly int _rootPid;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ResourceSample> _samples = [];
    private Task? _loop;

    public ProcessSampler(int rootPid, TimeSpan interval)
    {
        _rootPid = rootPid;
        _interval = interval;
    }

    public int RootPid => _rootPid;

    /// <summary>One sample now; null when the process is gone.</summary>
    public ResourceSample? SampleNow()
    {
        var tree = ProcessTree.Read(_rootPid);
        if (tree.Count == 0)
        {
            return null;
        }

        var sample = new ResourceSample(
            DateTime.UtcNow,
            tree.Sum(s => s.CpuSeconds),
            tree.Sum(s => s.ResidentPages) * Environment.SystemPageSize,
            tree.Count);
        lock (_samples)
        {
            _samples.Add(sample);
        }

        return sample;
    }

    public void Start()
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    SampleNow();
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>The samples taken between <paramref name="from"/> and <paramref name="to"/> (inclusive).</summary>
    public IReadOnlyList<ResourceSample> Between(DateTime from, DateTime to)
    {
        lock (_samples)
        {
            return _samples.Where(s => s.At >= from && s.At <= to).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
