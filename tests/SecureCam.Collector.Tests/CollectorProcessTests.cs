using System.Text.Json;
using SecureCam.Telemetry;
using SecureCam.TestSupport;

namespace SecureCam.Collector.Tests;

/// <summary>The collector as a program: many cameras at once, one-line errors.</summary>
public sealed class CollectorProcessTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly Certificates _certs = new();

    [Fact]
    public async Task Ten_cameras_at_once_each_get_their_own_session_and_acknowledgements()
    {
        var port = FreePort.Udp();
        await using var collector = await CollectorProcess.StartAsync(
            "--listen", $"127.0.0.1:{port}", "--cert", _certs.Collector.Cert, "--key", _certs.Collector.Key,
            "--ca", _certs.CaFile, "--require-client-cert", "--out", _certs.OutFile);
        var settings = new ClientSettings
        {
            Mode = TelemetryMode.Verified,
            TrustAnchor = CertificateFiles.LoadCertificates(_certs.CaFile),
            ExpectedName = "127.0.0.1",
            DeviceIdentity = DtlsIdentity.Load(_certs.Camera.Cert, _certs.Camera.Key),
            HandshakeTimeout = TimeSpan.FromSeconds(30),
        };

        var cameras = Enumerable.Range(1, 10).Select(async i =>
        {
            using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", port, settings, CancellationToken.None);
            return await Task.Run(() => SendAndAwaitAck(connection, i));
        });

        Assert.All(await Task.WhenAll(cameras), Assert.True);
        var lines = File.ReadAllLines(_certs.OutFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(10, lines.Count);
        Assert.Equal(10, lines.Select(l => l.GetProperty("from").GetString()).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 10), lines.Select(l => l.GetProperty("record").GetProperty("seq").GetInt32()).Order());
        Assert.Equal(0, await collector.InterruptAsync(Generous));
    }

    [Theory]
    [InlineData("--listen", "nowhere", "is not ADDR:PORT")]
    [InlineData("--key", "/nonexistent/key.pem", "key.pem")]
    [InlineData("--crl", "/nonexistent/crl.pem", "--crl needs --ca")]
    public async Task Bad_arguments_give_one_line_and_exit_1(string option, string value, string expected)
    {
        var arguments = new Dictionary<string, string>
        {
            ["--listen"] = "127.0.0.1:" + FreePort.Udp(),
            ["--cert"] = _certs.Collector.Cert,
            ["--key"] = _certs.Collector.Key,
        };
        arguments[option] = value;

        var result = await ExternalProcess.RunAsync(CollectorProcess.Executable, arguments.SelectMany(a => new[] { a.Key, a.Value }), timeout: Generous);

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("securecam-collector: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    public void Dispose() => _certs.Dispose();

    private static bool SendAndAwaitAck(DtlsClientConnection connection, int sequence)
    {
        connection.Send(TelemetryJson.Serialize(new TelemetryRecord { CameraId = "cam-1", Time = DateTimeOffset.UtcNow, Sequence = sequence }));
        var buffer = new byte[DtlsPolicy.ReceiveLimit];
        var deadline = DateTime.UtcNow + Generous;
        while (DateTime.UtcNow < deadline)
        {
            var received = connection.Receive(buffer, 100);
            if (received >= 0 && TelemetryJson.ReadAcknowledgement(buffer.AsSpan(0, received)) == sequence)
            {
                return true;
            }
        }

        return false;
    }
}
