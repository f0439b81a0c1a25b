using System.Net;
using System.Text;
using SecureCam.TestSupport;

namespace SecureCam.Telemetry.Tests;

/// <summary>
/// The collector survives anything a peer can send inside a session: generated hostile records (repeated keys, deep
/// nesting, too many keys, random and mutated bytes) are counted and dropped, never written and never a crash; an
/// unverified camera is rate-limited; an output that fails is survived.
/// </summary>
public sealed class HostileRecordTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private readonly TelemetryCertificates _pki = new();

    public static TheoryData<string, string> Refused => new()
    {
        { "{\"seq\":1,\"seq\":2}", "repeated" },
        { "{\"seq\":1,\"a\":{\"b\":1,\"b\":2}}", "repeated, nested" },
        { "{\"seq\":1,\"a\":[[[[[[[[1]]]]]]]]}", "too deep" },
        { "{\"seq\":1," + string.Join(',', Enumerable.Range(0, 100).Select(i => $"\"k{i}\":{i}")) + "}", "too many keys" },
        { "{\"seq\":\"1\"}", "seq not a number" },
        { "{\"seq\":-5}", "negative seq" },
        { "{\"seq\":1e400}", "seq out of range" },
        { "[1,2,3]", "not an object" },
        { "null", "null" },
        { "{\"seq\":1", "truncated" },
        { "", "empty" },
    };

    [Theory]
    [InlineData("{\"ack\":{}}")]
    [InlineData("{\"ack\":[]}")]
    [InlineData("{\"ack\":\"7\"}")]
    [InlineData("{\"ack\":1.5}")]
    [InlineData("{\"ack\":null}")]
    [InlineData("{\"ack\":{}}}}}}}")]
    [InlineData("[{\"ack\":1}]")]
    public void The_acknowledgement_reader_refuses_without_throwing(string datagram)
    {
        // The first case is what the fuzzer found (tools/fuzz/crashes/telemetry): TryGetInt64 threw on an object.
        Assert.Null(TelemetryJson.ReadAcknowledgement(Encoding.UTF8.GetBytes(datagram)));
        Assert.Equal(7, TelemetryJson.ReadAcknowledgement("{\"ack\":7}"u8));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void The_record_reader_refuses_without_throwing(string json, string what)
    {
        Assert.Null(TelemetryJson.ReadRecord(Encoding.UTF8.GetBytes(json), out var problem));
        Assert.False(string.IsNullOrEmpty(problem), what);
    }

    [Fact]
    public void The_record_reader_refuses_an_oversized_record_and_takes_ours()
    {
        var big = Encoding.UTF8.GetBytes("{\"seq\":1,\"message\":\"" + new string('x', TelemetryJson.MaxRecordBytes) + "\"}");
        Assert.Null(TelemetryJson.ReadRecord(big, out var problem));
        Assert.Contains("over the 2048-byte limit", problem, StringComparison.Ordinal);

        var ours = Exchange.Record(7, new string('m', 200));
        Assert.Equal(7, TelemetryJson.ReadRecord(ours, out _)!["seq"]!.GetValue<long>());
    }

    [Fact]
    public async Task Generated_hostile_records_from_four_cameras_at_once_are_dropped_and_every_camera_keeps_working()
    {
        await using var collector = CollectorHost.Start(_pki, requireClientCert: true);
        var cameras = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(device: _pki.CameraIdentity), CancellationToken.None);
            var random = new Random(20261204 + i);
            var sent = 0;
            for (var batch = 0; batch < 4; batch++)
            {
                foreach (var (json, _) in Refused.Select(r => ((string)r[0], (string)r[1])))
                {
                    if (Encoding.UTF8.GetByteCount(json) <= connection.RecordLimit)
                    {
                        connection.Send(Encoding.UTF8.GetBytes(json));
                        sent++;
                    }
                }

                for (var j = 0; j < 25; j++)
                {
                    connection.Send(Mutate(random));
                    sent++;
                }

                // Acknowledged means the session processed everything before it, in order.
                try
                {
                    Assert.True(Exchange.SendAndAwaitAck(connection, 1_000_000 + batch, Generous), $"camera {i} batch {batch}");
                }
                catch (IOException e)
                {
                    throw new InvalidOperationException($"camera {i} batch {batch}: {e.Message}; collector log:\n{collector.LogText}", e);
                }
            }

            return sent;
        })).ToList();

        var hostile = (await Task.WhenAll(cameras)).Sum();

        var counters = collector.Collector.Counters;
        Assert.Equal(0, counters.InternalErrors);
        Assert.Equal(4, counters.SessionsEstablished);
        Assert.Equal(hostile + 16, counters.MalformedRecords + counters.Records);
        Assert.True(counters.MalformedRecords >= hostile - 4 * 4 * 25, $"counters: {counters}");
        Assert.All(collector.Output.Lines, l => Assert.NotNull(TelemetryJson.ReadRecord(Encoding.UTF8.GetBytes(
            System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("record").GetRawText()), out _)));

        // One line per session about malformed records, not one per record.
        Assert.Equal(4, collector.Log.Count(l => l.Contains("malformed record", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unverified_camera_over_its_rate_is_dropped_and_counted_while_a_verified_one_is_not_limited()
    {
        await using var collector = CollectorHost.Start(_pki, askClientCert: true, configure: o => o with { UnverifiedRecordsPerSecond = 1 });
        using var unverified = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.EncryptOnly(), CancellationToken.None);
        using var verified = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.Verified(device: _pki.CameraIdentity), CancellationToken.None);

        // 200 records each, in batches the session queue holds; the verified camera's last one must be acknowledged.
        for (var batch = 0; batch < 4; batch++)
        {
            for (var j = 1; j <= 50; j++)
            {
                unverified.Send(Exchange.Record(batch * 50 + j));
                verified.Send(Exchange.Record(batch * 50 + j));
            }

            Assert.True(Exchange.SendAndAwaitAck(verified, 10_000 + batch, Generous));
        }

        await Eventually.TrueAsync(() => collector.Collector.Counters.RateLimitedRecords + collector.Collector.Counters.Records >= 404, Generous, () => $"{collector.Collector.Counters}");
        var counters = collector.Collector.Counters;
        var fromUnverified = collector.Output.Lines.Count(l => l.Contains("\"camera\":\"unverified\"", StringComparison.Ordinal));
        var fromVerified = collector.Output.Lines.Count(l => l.Contains("\"camera\":\"cam-1\"", StringComparison.Ordinal));
        Assert.Equal(204, fromVerified);
        Assert.InRange(fromUnverified, 64, 64 + 30); // the burst, plus one a second while the test runs
        Assert.Equal(200 - fromUnverified, counters.RateLimitedRecords);
        Assert.Single(collector.Log, l => l.Contains("over 1 records/s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_full_disk_drops_records_unacknowledged_logs_once_and_keeps_every_session()
    {
        // /dev/full fails every write with ENOSPC, like a full disk.
        var full = new StreamWriter(new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0));
        var options = new CollectorOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = DtlsIdentity.Load(_pki.CollectorFiles.Cert, _pki.CollectorFiles.Key),
        };
        await using var collector = CollectorHost.Start(options, full);
        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, _pki.EncryptOnly(), CancellationToken.None);

        for (var i = 1; i <= 5; i++)
        {
            Assert.False(Exchange.SendAndAwaitAck(connection, i, TimeSpan.FromMilliseconds(500)), "a record that was not written is not acknowledged");
        }

        var counters = collector.Collector.Counters;
        Assert.Equal(5, counters.OutputErrors);
        Assert.Equal(0, counters.Records);
        Assert.Equal(1, counters.ActiveSessions);
        Assert.Single(collector.Log, l => l.Contains("output write failed", StringComparison.Ordinal));
        await full.DisposeAsync();
    }

    public void Dispose() => _pki.Dispose();

    /// <summary>A hostile record: random bytes, or one of ours with bytes flipped, cut short, or repeated.</summary>
    private static byte[] Mutate(Random random)
    {
        var record = Exchange.Record(random.Next(1, 1000));
        switch (random.Next(4))
        {
            case 0:
                var noise = new byte[random.Next(1, 1200)];
                random.NextBytes(noise);
                return noise;
            case 1:
                for (var k = 0; k < 3; k++)
                {
                    record[random.Next(record.Length)] = (byte)random.Next(256);
                }

                return record;
            case 2:
                return record[..random.Next(record.Length)];
            default:
                // The same object twice over: {…}{…} is not one JSON value.
                return [.. record, .. record];
        }
    }
}
