namespace SecureCam.Bench.Stats;

/// <summary>
/// Percentiles of a sample by linear interpolation between the two nearest ranks (the method numpy
/// and most spreadsheets call "linear"), so a median of an even count is the mean of the middle two.
/// </summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="percent"/>-th percentile (0–100) of values already sorted ascending; NaN when empty.</summary>
    public static double OfSorted(ReadOnlySpan<double> sorted, double percent)
    {
        if (percent is < 0 or > 100 || double.IsNaN(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile is between 0 and 100.");
        }

        if (sorted.IsEmpty)
        {
            return double.NaN;
        }

        var position = percent / 100.0 * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        var fraction = position - lower;
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction);
    }

    /// <summary>Sorts <paramref name="values"/> in place and returns its summary.</summary>
    public static Distribution Summarize(Span<double> values)
    {
        values.Sort();
        ReadOnlySpan<double> sorted = values;
        return new Distribution(
            Count: sorted.Length,
            Min: sorted.IsEmpty ? double.NaN : sorted[0],
            P50: OfSorted(sorted, 50),
            P90: OfSorted(sorted, 90),
            P99: OfSorted(sorted, 99),
            Max: sorted.IsEmpty ? double.NaN : sorted[^1]);
    }
}
