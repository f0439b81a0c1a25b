using System.Collections.Concurrent;
using System.Net;
using SecureCam.TestSupport;

namespace SecureCam.Telemetry.Tests;

/// <summary>An in-process <see cref="TelemetryCollector"/> on a loopback port, for tests.</summary>
public sealed class CollectorHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private CollectorHost(TelemetryCollector collector, LineWriter output, ConcurrentQueue<string> log)
    {
        Collector = collector;
        Output = output;
        Log = log;
        _run = collector.RunAsync(_stop.Token);
    }

    public TelemetryCollector Collector { get; }

    /// <summary>The JSON lines the collector wrote.</summary>
    public LineWriter Output { get; }

    /// <summary>Its session events.</summary>
    public ConcurrentQueue<string> Log { get; }

    public int Port => Collector.LocalEndPoint.Port;

    public string LogText => string.Join("\n", Log);

    public static CollectorHost Start(
        TelemetryCertificates pki, bool rogue = false, bool askClientCert = false, bool requireClientCert = false, int port = 0, Func<CollectorOptions, CollectorOptions>? configure = null)
    {
        var files = rogue ? pki.RogueCollectorFiles : pki.CollectorFiles;
        var options = new CollectorOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, port),
            Identity = DtlsIdentity.Load(files.Cert, files.Key),
            ClientCa = askClientCert || requireClientCert ? pki.CaCollection : null,
            RequireClientCertificate = requireClientCert,
        };
        return Start(configure?.Invoke(options) ?? options);
    }

    /// <summary>A collector with these options; <paramref name="output"/> replaces the in-memory lines (then <see cref="Output"/> stays empty).</summary>
    public static CollectorHost Start(CollectorOptions options, TextWriter? output = null)
    {
        var lines = new LineWriter();
        var log = new ConcurrentQueue<string>();
        return new CollectorHost(TelemetryCollector.Bind(options, output ?? lines, log.Enqueue), lines, log);
    }

    public async Task WaitForLogAsync(string text, TimeSpan timeout) =>
        await Eventually.TrueAsync(() => LogText.Contains(text, StringComparison.Ordinal), timeout, () => $"'{text}' not in the collector log:\n{LogText}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await Collector.DisposeAsync();
        _stop.Dispose();
    }
}
