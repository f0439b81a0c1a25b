namespace SecureCam.Bench.Stats;

/// <summary>The usual summary of a sample: count, extremes and the percentiles a benchmark reports.</summary>
internal sealed record Distribution(int Count, double Min, double P50, double P90, double P99, double Max)
{
    public static Distribution Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
}
