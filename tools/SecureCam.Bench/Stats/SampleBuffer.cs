namespace SecureCam.Bench.Stats;

/// <summary>
/// A growable array of measurements owned by one worker, so recording a sample never takes a lock;
/// the workload merges every worker's buffer into one array at the end to sort it once.
/// </summary>
internal sealed class SampleBuffer
{
    private double[] _items;

    public SampleBuffer(int initialCapacity = 256)
    {
        _items = new double[Math.Max(16, initialCapacity)];
    }

    public int Count { get; private set; }

    public ReadOnlySpan<double> Items => _items.AsSpan(0, Count);

    public void Add(double value)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = value;
    }

    /// <summary>All samples of all <paramref name="buffers"/> in one new array (unsorted).</summary>
    public static double[] Merge(IEnumerable<SampleBuffer> buffers)
    {
        var list = buffers.ToList();
        var merged = new double[list.Sum(b => b.Count)];
        var offset = 0;
        foreach (var buffer in list)
        {
            buffer.Items.CopyTo(merged.AsSpan(offset));
            offset += buffer.Count;
        }

        return merged;
    }
}
