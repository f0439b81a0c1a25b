using System.Globalization;
using SecureCam.Bench.Stats;
using SecureCam.Bench.Workloads;

namespace SecureCam.Bench.Output;

/// <summary>The human-readable lines a workload prints (the JSON file carries the same figures).</summary>
internal static class Format
{
    public static string N(double value, int decimals = 1) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Ms(Distribution d) =>
        $"p50 {N(d.P50, 2)} ms, p90 {N(d.P90, 2)} ms, p99 {N(d.P99, 2)} ms, max {N(d.Max, 2)} ms (n={d.Count})";

    public static string Server(ServerUsage? server, IReadOnlyList<ServerUsage> parts, string unit)
    {
        if (server is null)
        {
            return "server: not sampled (give --server-pid)";
        }

        var text = Usage("server", server, unit);
        return parts.Count <= 1 ? text : text + string.Concat(parts.Select(p => "\n    " + Usage("of which", p, unit)));
    }

    private static string Usage(string label, ServerUsage usage, string unit) =>
        $"{label} (pid {string.Join('+', usage.Pids)}, {usage.Processes} process(es)): CPU {N(usage.CpuPercent)} % of one core, "
        + $"{N(usage.CpuMicrosecondsPerUnit)} µs CPU per {unit}, RSS mean {N(usage.RssMeanMb)} MB, max {N(usage.RssMaxMb)} MB";

    public static void Errors(IReadOnlyDictionary<string, long> errors, TextWriter writer)
    {
        foreach (var (what, count) in errors)
        {
            writer.WriteLine($"  error ×{count}: {what}");
        }
    }
}
