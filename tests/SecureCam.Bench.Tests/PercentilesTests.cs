using SecureCam.Bench.Stats;

namespace SecureCam.Bench.Tests;

public class PercentilesTests
{
    [Fact]
    public void Median_of_an_odd_count_is_the_middle_value()
    {
        Assert.Equal(3, Percentiles.OfSorted([1, 2, 3, 4, 100], 50));
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        Assert.Equal(2.5, Percentiles.OfSorted([1, 2, 3, 4], 50));
    }

    [Fact]
    public void Percentiles_interpolate_between_ranks()
    {
        var values = Enumerable.Range(1, 101).Select(i => (double)i).ToArray(); // 1..101
        Assert.Equal(100, Percentiles.OfSorted(values, 99), 9);
        Assert.Equal(1, Percentiles.OfSorted(values, 0));
        Assert.Equal(101, Percentiles.OfSorted(values, 100));
        Assert.Equal(91, Percentiles.OfSorted(values, 90), 9);

        // Between ranks: 0.99 × 9 = 8.91, so 9th value + 0.91 of the step to the 10th.
        Assert.Equal(9 + (0.91 * 91), Percentiles.OfSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 99), 9);
    }

    [Fact]
    public void An_empty_sample_has_no_percentiles()
    {
        Assert.True(double.IsNaN(Percentiles.OfSorted([], 50)));
        var summary = Percentiles.Summarize(Array.Empty<double>());
        Assert.Equal(0, summary.Count);
        Assert.True(double.IsNaN(summary.P99));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void A_percentile_outside_zero_to_hundred_is_rejected(double percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.OfSorted([1.0], percent));
    }

    [Fact]
    public void Summarize_sorts_and_reports_extremes()
    {
        var values = new double[] { 9, 1, 5, 3, 7 };
        var summary = Percentiles.Summarize(values);
        Assert.Equal(new Distribution(5, 1, 5, 8.2, 8.92, 9), summary with { P90 = Math.Round(summary.P90, 6), P99 = Math.Round(summary.P99, 6) });
    }

    [Fact]
    public void Sample_buffers_grow_and_merge()
    {
        var a = new SampleBuffer(16);
        for (var i = 0; i < 1000; i++)
        {
            a.Add(i);
        }

        var b = new SampleBuffer();
        b.Add(-1);
        var merged = SampleBuffer.Merge([a, b]);
        Assert.Equal(1001, merged.Length);
        Assert.Equal(999, merged[999]);
        Assert.Equal(-1, merged[1000]);
    }
}
