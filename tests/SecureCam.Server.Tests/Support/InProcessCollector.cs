using System.Net;
using SecureCam.Telemetry;

namespace SecureCam.Server.Tests.Support;

/// <summary>The library's real DTLS collector on a free loopback UDP port, in the test process; records land in <see cref="Lines"/>.</summary>
internal sealed class InProcessCollector : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TelemetryCollector _collector;
    private readonly StringWriter _output = new();

    // Its methods lock the wrapper itself ([MethodImpl(Synchronized)]), so reading under lock(_writer) sees whole lines.
    private readonly TextWriter _writer;
    private readonly Task _run;

    private InProcessCollector(CollectorOptions options)
    {
        _writer = TextWriter.Synchronized(_output);
        _collector = TelemetryCollector.Bind(options, _writer, _ => { });
        _run = _collector.RunAsync(_stop.Token);
    }

    public string Address => $"127.0.0.1:{_collector.LocalEndPoint.Port}";

    public CollectorCounters Counters => _collector.Counters;

    /// <summary>The JSON lines written so far, one per record.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_writer)
            {
                return _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
        }
    }

    /// <summary>Starts a collector showing <paramref name="certificate"/>; with <paramref name="clientCa"/> it requires a device certificate from that CA.</summary>
    public static InProcessCollector Start(string certificate, string key, string? clientCa = null) => new(new CollectorOptions
    {
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
        Identity = DtlsIdentity.Load(certificate, key),
        ClientCa = clientCa is null ? null : CertificateFiles.LoadCertificates(clientCa),
        RequireClientCertificate = clientCa is not null,
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
        await _collector.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
