using System.Diagnostics.Metrics;
using SecureCam.Pki;
using SecureCam.Server.Metrics;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>Every metric holds at most <see cref="MetricsServices.SeriesPerMetric"/> series; what goes beyond is still counted, under the overflow series.</summary>
public sealed class MetricsCardinalityTests
{
    [Fact]
    public async Task A_metric_with_more_label_values_than_the_limit_keeps_the_limit_and_counts_the_rest_as_overflow()
    {
        var server = new ServerFixture();
        await server.InitializeAsync();
        try
        {
            // A meter under the server's name is exported like the server's own instruments.
            using var meter = new Meter(ServerMetrics.MeterName);
            var counter = meter.CreateCounter<long>("securecam.test.labelled");
            var values = MetricsServices.SeriesPerMetric + 50;
            for (var i = 0; i < values; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("label", $"value-{i}"));
            }

            using var monitor = server.CreateClient(server.Pki.IssueClient("monitor", ClientRole.Monitor));
            var series = Array.Empty<string>();
            await Eventually.TrueAsync(
                async () =>
                {
                    var scrape = await monitor.GetStringAsync(new Uri(MetricsServices.Path, UriKind.Relative));
                    series = scrape.Split('\n').Where(l => l.StartsWith("securecam_test_labelled", StringComparison.Ordinal)).ToArray();
                    return series.Length > 0;
                },
                TimeSpan.FromSeconds(30));

            // The limit, plus the one overflow series OpenTelemetry keeps apart from it.
            Assert.InRange(series.Length, 2, MetricsServices.SeriesPerMetric + 1);
            var overflow = Assert.Single(series, l => l.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal));
            var counted = series.Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(values, counted);
            Assert.DoesNotContain(series, l => l.Contains($"value-{values - 1}\"", StringComparison.Ordinal));
            Assert.NotNull(overflow);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
