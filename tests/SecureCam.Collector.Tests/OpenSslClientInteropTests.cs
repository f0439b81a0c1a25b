using System.Text.Json;
using SecureCam.TestSupport;

namespace SecureCam.Collector.Tests;

/// <summary>`openssl s_client -dtls1_2` against the real collector process, with and without client certificates.</summary>
public sealed class OpenSslClientInteropTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly Certificates _certs = new();

    [SkippableFact]
    public async Task A_camera_with_a_device_certificate_is_written_under_its_name_and_ctrl_c_stops_cleanly()
    {
        var openssl = Peer.Require("openssl");
        var port = FreePort.Udp();
        await using var collector = await StartCollectorAsync(port, "--ca", _certs.CaFile, "--require-client-cert");
        await using var client = StartClient(openssl, port, "-cert", _certs.Camera.Cert, "-key", _certs.Camera.Key);

        await client.StandardInput.WriteLineAsync("{\"seq\":1,\"message\":\"from s_client\"}");
        await client.StandardInput.FlushAsync();

        await client.WaitForOutputAsync("{\"ack\":1}", Generous);
        using var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(_certs.OutFile)));
        Assert.Equal("cam-1", line.RootElement.GetProperty("camera").GetString());
        Assert.Equal("from s_client", line.RootElement.GetProperty("record").GetProperty("message").GetString());
        Assert.Contains("camera cam-1", collector.Output, StringComparison.Ordinal);

        Assert.Equal(0, await collector.InterruptAsync(Generous));
        Assert.Contains("stopped: 1 records", collector.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_camera_without_certificate_is_written_as_unverified_when_none_is_required()
    {
        var openssl = Peer.Require("openssl");
        var port = FreePort.Udp();
        await using var collector = await StartCollectorAsync(port);
        await using var client = StartClient(openssl, port);

        await client.StandardInput.WriteLineAsync("{\"seq\":42}");
        await client.StandardInput.FlushAsync();

        await client.WaitForOutputAsync("{\"ack\":42}", Generous);
        using var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(_certs.OutFile)));
        Assert.Equal("unverified", line.RootElement.GetProperty("camera").GetString());
        Assert.Contains("CN = collector", client.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_collector_requiring_client_certificates_refuses_s_client_without_one()
    {
        var openssl = Peer.Require("openssl");
        var port = FreePort.Udp();
        await using var collector = await StartCollectorAsync(port, "--ca", _certs.CaFile, "--require-client-cert");
        await using var client = StartClient(openssl, port);

        Assert.NotEqual(0, await client.WaitForExitAsync(Generous));
        await collector.WaitForOutputAsync("the camera showed no device certificate", Generous);
        Assert.False(File.Exists(_certs.OutFile) && File.ReadAllText(_certs.OutFile).Length > 0);
    }

    [SkippableFact]
    public async Task A_collector_requiring_client_certificates_refuses_a_foreign_one()
    {
        var openssl = Peer.Require("openssl");
        var port = FreePort.Udp();
        await using var collector = await StartCollectorAsync(port, "--ca", _certs.CaFile, "--require-client-cert");
        await using var client = StartClient(openssl, port, "-cert", _certs.ForeignCamera.Cert, "-key", _certs.ForeignCamera.Key);

        Assert.NotEqual(0, await client.WaitForExitAsync(Generous));
        await collector.WaitForOutputAsync("device certificate refused", Generous);
        Assert.Contains("alert bad certificate", client.Output, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _certs.Dispose();

    private Task<RunningProcess> StartCollectorAsync(int port, params string[] extra) => CollectorProcess.StartAsync(
        ["--listen", $"127.0.0.1:{port}", "--cert", _certs.Collector.Cert, "--key", _certs.Collector.Key, "--out", _certs.OutFile, .. extra]);

    private RunningProcess StartClient(string openssl, int port, params string[] extra) => ExternalProcess.Start(
        openssl,
        ["s_client", "-dtls1_2", "-connect", $"127.0.0.1:{port}", "-CAfile", _certs.CaFile, "-quiet", .. extra]);
}
