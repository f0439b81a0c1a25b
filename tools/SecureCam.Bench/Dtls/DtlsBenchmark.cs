using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using SecureCam.Telemetry;

namespace SecureCam.Bench.Dtls;

/// <summary>
/// Warm DTLS 1.2 handshake times and records per second on loopback: our client and collector against
/// `openssl s_server -dtls1_2` / `openssl s_client -dtls1_2`. Every loop is bounded in count and time.
/// </summary>
internal sealed class DtlsBenchmark : IDisposable
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(3);
    private readonly BenchCertificates _certs = new();
    private readonly int _handshakes;
    private readonly int _records;
    private readonly int _recordSize;
    private readonly TextWriter _out;

    public DtlsBenchmark(int handshakes, int records, int recordSize, TextWriter output)
    {
        _handshakes = handshakes;
        _records = records;
        _recordSize = recordSize;
        _out = output;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _out.WriteLine($"DTLS 1.2, ECDHE-ECDSA AES-GCM (whichever suite and group each pair negotiates), P-256 certificates, mutual (device certificate), loopback; {_handshakes} handshakes after 3 warm-up; {_records} records of {_recordSize} bytes");
        _out.WriteLine();
        _out.WriteLine("| what is measured | median | p95 | mean |");
        _out.WriteLine("|---|---|---|---|");
        await using (var collector = StartCollector())
        {
            Row("handshake, our client → our collector (in-process, thread handoff included)", await OurHandshakesAsync(collector.Port, cancellationToken).ConfigureAwait(false));
        }

        using (var server = await StartOpenSslServerAsync().ConfigureAwait(false))
        {
            Row("handshake, our client → `openssl s_server -dtls1_2`", await OurHandshakesAsync(server.Port, cancellationToken).ConfigureAwait(false));
        }

        await using (var collector = StartCollector())
        {
            Row("`openssl s_client -dtls1_2` process start + handshake → our collector", await OpenSslClientRunsAsync(collector.Port).ConfigureAwait(false));
        }

        using (var server = await StartOpenSslServerAsync().ConfigureAwait(false))
        {
            Row("`openssl s_client -dtls1_2` process start + handshake → `openssl s_server`", await OpenSslClientRunsAsync(server.Port).ConfigureAwait(false));
        }

        Row("`openssl version` process start alone (what the two rows above include besides the handshake)", await ProcessStartsAsync().ConfigureAwait(false));

        _out.WriteLine();
        _out.WriteLine("| records, no loss (each acknowledged by the collector) | records | seconds | records/s |");
        _out.WriteLine("|---|---|---|---|");
        await using (var collector = StartCollector())
        {
            await OurRecordsAsync(collector, window: 64, _records, cancellationToken).ConfigureAwait(false);
        }

        await using (var collector = StartCollector())
        {
            await OurRecordsAsync(collector, window: 1, StopAndWaitRecords, cancellationToken).ConfigureAwait(false);
        }

        await using (var collector = StartCollector())
        {
            await OpenSslRecordsAsync(collector).ConfigureAwait(false);
        }
    }

    public void Dispose() => _certs.Dispose();

    private CollectorRun StartCollector()
    {
        var options = new CollectorOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = DtlsIdentity.Load(_certs.Collector.Cert, _certs.Collector.Key),
            ClientCa = CertificateFiles.LoadCertificates(_certs.CaFile),
            RequireClientCertificate = true,
        };
        return new CollectorRun(TelemetryCollector.Bind(options, TextWriter.Null, _ => { }));
    }

    private ClientSettings Settings() => new()
    {
        Mode = TelemetryMode.Verified,
        TrustAnchor = CertificateFiles.LoadCertificates(_certs.CaFile),
        ExpectedName = "127.0.0.1",
        DeviceIdentity = DtlsIdentity.Load(_certs.Device.Cert, _certs.Device.Key),
    };

    private async Task<List<double>> OurHandshakesAsync(int port, CancellationToken cancellationToken)
    {
        var settings = Settings();
        var times = new List<double>();
        var limit = Stopwatch.StartNew();
        for (var i = 0; i < _handshakes + 3 && limit.Elapsed < StepLimit; i++)
        {
            var watch = Stopwatch.StartNew();
            using (await DtlsClientConnection.ConnectAsync("127.0.0.1", port, settings, cancellationToken).ConfigureAwait(false))
            {
                watch.Stop();
            }

            if (i >= 3)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            // s_server serves one association at a time: give it a moment to return to accept after close_notify.
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return times;
    }

    private async Task<List<double>> OpenSslClientRunsAsync(int port)
    {
        var times = new List<double>();
        var limit = Stopwatch.StartNew();
        for (var i = 0; i < _handshakes + 3 && limit.Elapsed < StepLimit; i++)
        {
            var watch = Stopwatch.StartNew();
            using var client = new OpenSslProcess(
                ["s_client", "-dtls1_2", "-connect", $"127.0.0.1:{port}", "-CAfile", _certs.CaFile, "-cert", _certs.Device.Cert, "-key", _certs.Device.Key, "-verify_return_error"]);

            // s_client prints its session summary, ending with the verify result, once the handshake is done; the
            // clock stops there, before s_client's own exit path (which waits for a read timeout).
            var done = await client.WaitForAsync(() => client.Output.Contains("Verify return code:", StringComparison.Ordinal), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            watch.Stop();
            if (!done || !client.Output.Contains("Verify return code: 0", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("openssl s_client failed:\n" + client.Output);
            }

            client.Input.Close();

            if (i >= 3)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return times;
    }

    private async Task<List<double>> ProcessStartsAsync()
    {
        var times = new List<double>();
        for (var i = 0; i < _handshakes + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var process = new OpenSslProcess(["version"]);
            await process.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            watch.Stop();
            if (i >= 3)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return times;
    }

    // Stop-and-wait rows send fewer records: each costs a round trip.
    private int StopAndWaitRecords => Math.Min(_records, 2000);

    private async Task OurRecordsAsync(CollectorRun collector, int window, int count, CancellationToken cancellationToken)
    {
        // A window of unacknowledged records, as the reporter keeps (32): nothing is lost to overload.
        using var connection = await DtlsClientConnection.ConnectAsync("127.0.0.1", collector.Port, Settings(), cancellationToken).ConfigureAwait(false);
        var acknowledged = 0L;
        using var credits = new SemaphoreSlim(window);
        var receiver = Task.Run(
            () =>
            {
                var buffer = new byte[DtlsPolicy.ReceiveLimit];
                var limit = Stopwatch.StartNew();
                while (Interlocked.Read(ref acknowledged) < count && limit.Elapsed < StepLimit)
                {
                    var received = connection.Receive(buffer, 100);
                    if (received >= 0 && TelemetryJson.ReadAcknowledgement(buffer.AsSpan(0, received)) is { } sequence)
                    {
                        Interlocked.Increment(ref acknowledged);
                        credits.Release();
                    }
                }
            },
            cancellationToken);

        var watch = Stopwatch.StartNew();
        for (var sequence = 1L; sequence <= count && watch.Elapsed < StepLimit; sequence++)
        {
            if (!await credits.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            connection.Send(Record(sequence));
        }

        await receiver.ConfigureAwait(false);
        watch.Stop();
        RecordRow(window == 1 ? "our client → our collector, stop-and-wait (window 1)" : $"our client → our collector, window of {window}", Interlocked.Read(ref acknowledged), count, watch.Elapsed);
    }

    private async Task OpenSslRecordsAsync(CollectorRun collector)
    {
        using var client = new OpenSslProcess(
            ["s_client", "-dtls1_2", "-connect", $"127.0.0.1:{collector.Port}", "-CAfile", _certs.CaFile, "-cert", _certs.Device.Cert, "-key", _certs.Device.Key, "-quiet"]);
        if (!await client.WaitForAsync(() => collector.Collector.Counters.SessionsEstablished > 0, TimeSpan.FromSeconds(30)).ConfigureAwait(false))
        {
            throw new InvalidOperationException("openssl s_client did not connect:\n" + client.Output);
        }

        // s_client sends whatever one read of stdin returns as one record, so lines written together would share a
        // datagram: stop-and-wait, one line per acknowledgement.
        var count = StopAndWaitRecords;
        var watch = Stopwatch.StartNew();
        for (var sequence = 1; sequence <= count && watch.Elapsed < StepLimit; sequence++)
        {
            await client.Input.WriteAsync(Encoding.UTF8.GetString(Record(sequence)) + "\n").ConfigureAwait(false);
            await client.Input.FlushAsync().ConfigureAwait(false);
            var spin = default(SpinWait);
            var deadline = watch.Elapsed + TimeSpan.FromSeconds(10);
            // Wait for the acknowledgement to come back out of s_client, as our client waits for it.
            while (client.Count("{\"ack\":") < sequence && watch.Elapsed < deadline)
            {
                spin.SpinOnce();
            }
        }

        watch.Stop();
        RecordRow("`openssl s_client -dtls1_2` (one stdin line per record) → our collector, stop-and-wait", collector.Collector.Counters.Records, count, watch.Elapsed);
    }

    private byte[] Record(long sequence)
    {
        TelemetryRecord Make(string message) => new()
        {
            CameraId = "bench-camera",
            Time = DateTimeOffset.UtcNow,
            Sequence = sequence,
            Viewers = 3,
            CapturedFps = 15,
            ServedFps = 15,
            BytesServed = 123456789,
            Message = message,
        };

        // Pad the free-text field to the requested size so every record has the same length.
        var bare = TelemetryJson.Serialize(Make(""));
        var padding = _recordSize - bare.Length;
        return padding <= 0 ? bare : TelemetryJson.Serialize(Make(new string('x', padding)));
    }

    private async Task<OpenSslServer> StartOpenSslServerAsync()
    {
        var port = FreeUdpPort();
        var process = new OpenSslProcess(
            ["s_server", "-dtls1_2", "-accept", $"127.0.0.1:{port}", "-cert", _certs.Collector.Cert, "-key", _certs.Collector.Key, "-Verify", "1", "-CAfile", _certs.CaFile, "-quiet"]);
        await process.WaitForAsync(() => process.Output.Contains("ACCEPT", StringComparison.Ordinal), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return new OpenSslServer(process, port);
    }

    private static int FreeUdpPort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private void Row(string what, List<double> times)
    {
        times.Sort();
        string Ms(double v) => v.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
        var p95 = times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)];
        _out.WriteLine($"| {what} (n={times.Count}) | {Ms(times[times.Count / 2])} | {Ms(p95)} | {Ms(times.Average())} |");
    }

    private void RecordRow(string what, long records, int count, TimeSpan elapsed) =>
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {records} of {count} | {elapsed.TotalSeconds:0.00} | {records / elapsed.TotalSeconds:0} |"));

    private sealed record OpenSslServer(OpenSslProcess Process, int Port) : IDisposable
    {
        public void Dispose() => Process.Dispose();
    }

    private sealed class CollectorRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public CollectorRun(TelemetryCollector collector)
        {
            Collector = collector;
            _run = collector.RunAsync(_stop.Token);
        }

        public TelemetryCollector Collector { get; }

        public int Port => Collector.LocalEndPoint.Port;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _run.ConfigureAwait(false);
            await Collector.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
        }
    }
}
