namespace SecureCam.Telemetry;

/// <summary>
/// Records waiting for the collector. Bounded: when full the oldest record is dropped and counted, so a dead
/// collector costs a fixed amount of memory and the producer never waits.
/// </summary>
internal sealed class BoundedRecordQueue
{
    private readonly LinkedList<TelemetryRecord> _items = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly int _capacity;
    private long _dropped;

    public BoundedRecordQueue(int capacity)
    {
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(TelemetryRecord record)
    {
        lock (_lock)
        {
            if (_items.Count >= _capacity)
            {
                _items.RemoveFirst();
                Interlocked.Increment(ref _dropped);
            }

            _items.AddLast(record);
        }

        _signal.Release();
    }

    /// <summary>Puts records that were sent but never acknowledged back in front, oldest first, within the bound.</summary>
    public void Requeue(IEnumerable<TelemetryRecord> records)
    {
        lock (_lock)
        {
            foreach (var record in records.OrderByDescending(r => r.Sequence))
            {
                if (_items.Count >= _capacity)
                {
                    // These are older than everything queued: they are the ones to lose.
                    Interlocked.Increment(ref _dropped);
                    continue;
                }

                _items.AddFirst(record);
            }
        }

        _signal.Release();
    }

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public bool TryTake(out TelemetryRecord record)
    {
        lock (_lock)
        {
            if (_items.First is { } first)
            {
                _items.RemoveFirst();
                record = first.Value;
                return true;
            }
        }

        record = null!;
        return false;
    }

    /// <summary>Waits until something may have been added, or the timeout passes.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
