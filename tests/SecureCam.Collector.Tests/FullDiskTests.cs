using System.Text.Json;
using SecureCam.Telemetry;
using SecureCam.TestSupport;

namespace SecureCam.Collector.Tests;

/// <summary>
/// The collector's output on a real full disk: a 64 KiB tmpfs (mounting one needs root, as CI runs). Records that
/// cannot be written are dropped unacknowledged and counted, the failure is logged once, every session survives,
/// and writing resumes, with whole lines only, as soon as there is room again.
/// </summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly Certificates _certs = new();
    private readonly string _mount;
    private bool _mounted;

    public FullDiskTests()
    {
        _mount = _certs.Directory.Combine("disk");
        Directory.CreateDirectory(_mount);
    }

    [SkippableFact]
    public async Task A_full_disk_drops_and_counts_records_logs_once_and_recovers_when_space_returns()
    {
        var mount = await ExternalProcess.RunAsync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", _mount], timeout: Generous);
        Peer.RequireThat(mount.ExitCode == 0, "mounting a tmpfs needs root: " + mount.StandardError.Trim());
        _mounted = true;

        // Leave room for a few lines only.
        var filler = Path.Combine(_mount, "filler");
        await using (var fill = new FileStream(filler, FileMode.Create))
        {
            var block = new byte[4096];
            try
            {
                while (fill.Length < 64 * 1024 - 1536)
                {
                    await fill.WriteAsync(block);
                    await fill.FlushAsync();
                }
            }
            catch (IOException)
            {
                // Already full: fine, the first record then fails at once.
            }
        }

        var records = Path.Combine(_mount, "records.jsonl");
        var port = FreePort.Udp();
        await using var collector = await CollectorProcess.StartAsync(
            "--listen", $"127.0.0.1:{port}", "--cert", _certs.Collector.Cert, "--key", _certs.Collector.Key, "--out", records);
        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", port, new ClientSettings { Mode = TelemetryMode.EncryptOnly }, CancellationToken.None);

        // Until the disk is full every record is written and acknowledged; after that none is.
        var sequence = 0;
        var failures = 0;
        while (failures < 5 && sequence < 200)
        {
            sequence++;
            if (!SendAndAwaitAck(connection, sequence, TimeSpan.FromMilliseconds(failures == 0 ? 5000 : 300)))
            {
                failures++;
            }
        }

        Assert.Equal(5, failures);
        Assert.False(collector.HasExited);
        Assert.Single(Lines(collector.Output), l => l.Contains("output write failed", StringComparison.Ordinal));

        File.Delete(filler);
        sequence++;
        Assert.True(SendAndAwaitAck(connection, sequence, Generous), "writing resumes once there is room");
        await collector.WaitForOutputAsync("output works again after 5 failed writes", Generous);

        // Every line in the file is whole: the failed writes left no fragment between good lines.
        var written = File.ReadAllLines(records).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("record").GetProperty("seq").GetInt32()).ToList();
        Assert.Equal(sequence, written[^1]);
        Assert.Equal(sequence - 5, written.Count);
        Assert.Equal(0, await collector.InterruptAsync(Generous));
        Assert.Contains("5 output errors", collector.Output, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 calls IAsyncLifetime.DisposeAsync, not IAsyncDisposable: the mount must not outlive the test.
    public async Task DisposeAsync()
    {
        if (_mounted)
        {
            await ExternalProcess.RunAsync("umount", ["-l", _mount], timeout: Generous);
        }

        _certs.Dispose();
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static bool SendAndAwaitAck(DtlsClientConnection connection, int sequence, TimeSpan timeout)
    {
        connection.Send(TelemetryJson.Serialize(new TelemetryRecord { CameraId = "cam-1", Time = DateTimeOffset.UtcNow, Sequence = sequence }));
        var buffer = new byte[DtlsPolicy.ReceiveLimit];
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var received = connection.Receive(buffer, 50);
            if (received >= 0 && TelemetryJson.ReadAcknowledgement(buffer.AsSpan(0, received)) == sequence)
            {
                return true;
            }
        }

        return false;
    }
}
