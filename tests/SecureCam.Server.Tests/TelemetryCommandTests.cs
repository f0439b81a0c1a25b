using System.Net;
using SecureCam.Telemetry;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>`securecam telemetry test` as a user runs it: the contrast between the modes, with exit codes.</summary>
public sealed class TelemetryCommandTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("securecam-telemetry-cli");
    private readonly string _caFile;
    private readonly (string Cert, string Key) _collector;
    private readonly (string Cert, string Key) _rogueCollector;
    private readonly (string Cert, string Key) _camera;

    public TelemetryCommandTests()
    {
        using var ca = TestPki.InMemory("SecureCam Home CA");
        using var rogue = TestPki.InMemory("Rogue CA");
        _caFile = ca.Root.Write(_dir.Path, "ca").Cert;
        _collector = ca.IssueServer("collector", "collector.lan", "127.0.0.1").Write(_dir.Path, "collector");
        _rogueCollector = rogue.IssueServer("collector", "collector.lan", "127.0.0.1").Write(_dir.Path, "rogue");
        _camera = ca.IssueDevice("cam-1").Write(_dir.Path, "cam-1");
    }

    [Fact]
    public async Task Encrypt_only_accepts_a_rogue_collector_but_says_so()
    {
        await using var rogue = await RunningCollector.StartAsync(_rogueCollector);

        var result = await RunAsync("--to", $"127.0.0.1:{rogue.Port}", "--mode", "encrypt-only");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("warning: telemetry mode encrypt-only", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("peer not verified", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Rogue CA", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("record 1 sent and acknowledged", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verified_refuses_the_rogue_collector_with_bad_certificate_and_exit_1()
    {
        await using var rogue = await RunningCollector.StartAsync(_rogueCollector);

        var result = await RunAsync("--to", $"127.0.0.1:{rogue.Port}", "--mode", "verified", "--ca", _caFile, "--server-name", "collector.lan");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused the collector with alert bad_certificate", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(rogue.Output.ToString());
    }

    [Fact]
    public async Task Verified_with_a_device_certificate_succeeds_against_our_collector()
    {
        await using var collector = await RunningCollector.StartAsync(_collector, _caFile);

        var result = await RunAsync(
            "--to", $"127.0.0.1:{collector.Port}", "--mode", "verified", "--ca", _caFile, "--server-name", "collector.lan",
            "--cert", _camera.Cert, "--key", _camera.Key, "--message", "hello home");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("peer verified: collector.lan", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("device certificate shown: \"CN=cam-1\"", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"camera\":\"cam-1\"", collector.Output.ToString(), StringComparison.Ordinal);
        Assert.Contains("hello home", collector.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verified_without_a_ca_is_a_one_line_error()
    {
        var result = await RunAsync("--to", "127.0.0.1:5684", "--mode", "verified");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("securecam telemetry test: verified mode needs the CA certificate the collector must chain to (--ca / Telemetry:CaFile)", result.StandardError.Trim());
    }

    public void Dispose() => _dir.Dispose();

    private static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ExternalProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "securecam"), ["telemetry", "test", .. arguments], timeout: Generous);

    /// <summary>An in-process collector on a loopback port.</summary>
    private sealed class RunningCollector : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly TelemetryCollector _collector;
        private readonly Task _run;

        private RunningCollector(TelemetryCollector collector, StringWriter output)
        {
            _collector = collector;
            Output = output;
            _run = collector.RunAsync(_stop.Token);
        }

        public StringWriter Output { get; }

        public int Port => _collector.LocalEndPoint.Port;

        public static Task<RunningCollector> StartAsync((string Cert, string Key) identity, string? clientCa = null)
        {
            var output = new StringWriter();
            var options = new CollectorOptions
            {
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Identity = DtlsIdentity.Load(identity.Cert, identity.Key),
                ClientCa = clientCa is null ? null : CertificateFiles.LoadCertificates(clientCa),
            };
            return Task.FromResult(new RunningCollector(TelemetryCollector.Bind(options, TextWriter.Synchronized(output), _ => { }), output));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run;
            await _collector.DisposeAsync();
            _stop.Dispose();
        }
    }
}
