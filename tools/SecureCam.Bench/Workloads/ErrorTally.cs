using System.Collections.Concurrent;

namespace SecureCam.Bench.Workloads;

/// <summary>Counts failures by a short description, so a run with errors says which errors.</summary>
internal sealed class ErrorTally
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add(string description)
    {
        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate(description, 1, (_, n) => n + 1);
    }

    public void Add(Exception exception) => Add(Describe(exception));

    /// <summary>The most frequent errors, most frequent first.</summary>
    public IReadOnlyDictionary<string, long> Top(int count = 5) => _counts
        .OrderByDescending(pair => pair.Value)
        .Take(count)
        .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>Exception type and the first line of the innermost message: enough to tell errors apart.</summary>
    public static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var message = inner.Message.Split('\n', 2)[0].Trim();
        return $"{inner.GetType().Name}: {message}";
    }
}
