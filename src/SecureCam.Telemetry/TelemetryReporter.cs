using System.Collections.Concurrent;
using System.Net.Sockets;
using Polly;
using Polly.Retry;

namespace SecureCam.Telemetry;

/// <summary>
/// Sends one telemetry record per interval to a collector over DTLS, for the server to host. It never blocks or
/// slows its host: the snapshot callback is called on the reporter's own task, records wait in a bounded queue
/// (oldest dropped and counted), a dead collector is noticed by missing acknowledgements, and reconnects back off
/// 1 s, 2 s, 4 s … up to <see cref="TelemetryOptions.MaxBackoff"/>. Delivery is at least once: records sent but not
/// acknowledged before a connection died are sent again.
/// </summary>
public sealed class TelemetryReporter
{
    // Records sent but not yet acknowledged at once; beyond this the sender waits for acknowledgements.
    private const int SendWindow = 32;
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);

    // Up to a quarter second more per wait, so a fleet of cameras does not reconnect in step after the collector restarts.
    private static readonly TimeSpan MaxJitter = TimeSpan.FromMilliseconds(250);

    private readonly TelemetryOptions _options;
    private readonly Func<TelemetrySnapshot> _snapshot;
    private readonly Action<TelemetryLogLevel, string> _log;
    private readonly ClientSettings? _settings;
    private readonly string _host = "";
    private readonly int _port;
    private readonly string _cameraId;
    private readonly DateTime? _deviceNotAfter;
    private readonly BoundedRecordQueue _queue;
    private readonly ConcurrentDictionary<long, (TelemetryRecord Record, long SentAt)> _unacknowledged = new();
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _reconnect;
    private readonly DateTimeOffset _startedAt;
    private readonly Lock _stateLock = new();
    private TelemetryState _state;
    private int _failuresInARow;
    private long _sequence;
    private long _sent;
    private long _acknowledged;

    /// <summary>Validates the options and loads the certificate files: a bad setting throws here, at start.</summary>
    public TelemetryReporter(TelemetryOptions options, Func<TelemetrySnapshot> snapshot, Action<TelemetryLogLevel, string>? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _startedAt = _time.GetUtcNow();
        _snapshot = snapshot;
        _log = log ?? ((_, _) => { });
        _queue = new BoundedRecordQueue(Math.Max(1, options.QueueCapacity));
        options.Validate();
        if (options.Enabled)
        {
            _settings = options.ToClientSettings(message => _log(TelemetryLogLevel.Warning, "telemetry: " + message), _time);
            (_host, _port) = TelemetryEndpoint.Parse(options.Collector!, "Telemetry:Collector");
            _deviceNotAfter = _settings.DeviceIdentity?.Leaf.NotAfter.ToUniversalTime();
        }

        // Built here, not when the sender starts: the first failure is reported without paying for Polly's set-up.
        _reconnect = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                // Telemetry reconnects for as long as the camera runs, and a connection that came up starts the
                // backoff over, which Polly's per-execution attempt count cannot do: no limit, the delay counts for itself.
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && IsConnectionFailure(e) && !args.Context.CancellationToken.IsCancellationRequested),
                DelayGenerator = _ => ValueTask.FromResult<TimeSpan?>(ReconnectDelay(_failuresInARow++, _options.MaxBackoff, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    SetError(args.Outcome.Exception!.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        _cameraId = options.CameraId
            ?? (_settings?.DeviceIdentity is { } device ? PeerCertificateCheck.CommonName(device.Leaf) : Environment.MachineName);
        _state = new TelemetryState
        {
            Enabled = options.Enabled,
            Mode = options.Enabled ? _settings!.Mode.ToName() : options.Mode,
            Collector = options.Collector,
        };
    }

    /// <summary>A consistent copy of the current state; cheap, safe from any thread.</summary>
    public TelemetryState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state with
                {
                    Sent = Interlocked.Read(ref _sent),
                    Acknowledged = Interlocked.Read(ref _acknowledged),
                    Dropped = _queue.Dropped,
                    Queued = _queue.Count,
                };
            }
        }
    }

    /// <summary>Runs until cancelled. Returns at once when telemetry is disabled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        if (_settings!.Mode == TelemetryMode.EncryptOnly)
        {
            _log(TelemetryLogLevel.Warning, TelemetryWarnings.EncryptOnly);
        }

        var producer = ProduceAsync(cancellationToken);
        var sender = SendAsync(cancellationToken);
        await Task.WhenAll(producer, sender).ConfigureAwait(false);
    }

    private async Task ProduceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            do
            {
                _queue.Add(CreateRecord());
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private TelemetryRecord CreateRecord()
    {
        TelemetrySnapshot snapshot;
        try
        {
            snapshot = _snapshot();
        }
#pragma warning disable CA1031 // The host's callback must not stop telemetry; its failure is reported in the state.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SetError("snapshot callback failed: " + e.Message);
            snapshot = new TelemetrySnapshot();
        }

        var now = _time.GetUtcNow();
        return new TelemetryRecord
        {
            CameraId = _cameraId,
            Time = now,
            Sequence = Interlocked.Increment(ref _sequence),
            CapturedFps = snapshot.CapturedFps,
            ServedFps = snapshot.ServedFps,
            Viewers = snapshot.Viewers,
            BytesServed = snapshot.BytesServed,
            CpuTemperatureCelsius = CpuTemperature.Read(),
            UptimeSeconds = (long)(now - _startedAt).TotalSeconds,
            ServerCertificateDaysLeft = DaysLeft(snapshot.ServerCertificateNotAfter, now),
            DeviceCertificateDaysLeft = DaysLeft(snapshot.DeviceCertificateNotAfter ?? _deviceNotAfter, now),
        };
    }

    private static int? DaysLeft(DateTime? notAfter, DateTimeOffset now) =>
        notAfter is { } end ? (int)Math.Floor((end.ToUniversalTime() - now.UtcDateTime).TotalDays) : null;

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _reconnect.ExecuteAsync(async token => await ConnectAndPumpAsync(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && (e is OperationCanceledException || IsConnectionFailure(e)))
        {
            // Stopped: a connection that failed on the way out is no news.
        }
    }

    /// <summary>The wait before reconnecting after <paramref name="failuresInARow"/> earlier failed tries: 1 s, 2 s, 4 s … up to <paramref name="max"/>, plus jitter.</summary>
    internal static TimeSpan ReconnectDelay(int failuresInARow, TimeSpan max, double random)
    {
        var backoff = TimeSpan.FromTicks((long)Math.Min(max.Ticks, InitialBackoff.Ticks * Math.Pow(2, Math.Min(failuresInARow, 30))));
        return backoff + (MaxJitter * random);
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is IOException or TimeoutException or DtlsRefusedException or SocketException or ObjectDisposedException;

    /// <summary>One connection: the handshake, then records until the collector goes away (throws) or the reporter stops.</summary>
    private async Task ConnectAndPumpAsync(CancellationToken cancellationToken)
    {
        DtlsClientConnection? connection = null;
        try
        {
            connection = await DtlsClientConnection.ConnectAsync(_host, _port, _settings!, cancellationToken).ConfigureAwait(false);
            OnConnected(connection);
            _failuresInARow = 0;
            await PumpAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection?.Dispose();
            OnDisconnected();
        }
    }

    private async Task PumpAsync(DtlsClientConnection connection, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // A dedicated thread: the receive blocks in BouncyCastle for up to 250 ms at a time, for the whole connection.
        var receiver = Task.Factory.StartNew(
            () => ReceiveAcknowledgements(connection, stop.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (receiver.IsCompleted)
                {
                    await receiver.ConfigureAwait(false);
                    throw new IOException("the session ended");
                }

                CheckAcknowledgements();
                connection.ThrowIfCollectorRevoked();
                if (_unacknowledged.Count < SendWindow && _queue.TryTake(out var record))
                {
                    Send(connection, record);
                    continue;
                }

                await _queue.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await receiver.ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Already reported through the pump, or irrelevant once we stop.
            }
        }
    }

    private void Send(DtlsClientConnection connection, TelemetryRecord record)
    {
        var bytes = TelemetryJson.Serialize(record);
        if (bytes.Length > connection.RecordLimit)
        {
            // Cannot happen with our fixed fields; counted rather than IP-fragmented if it ever does.
            _queue.CountDropped();
            return;
        }

        _unacknowledged[record.Sequence] = (record, _time.GetTimestamp());
        connection.Send(bytes);
        Interlocked.Increment(ref _sent);
    }

    private void CheckAcknowledgements()
    {
        foreach (var (_, (_, sentAt)) in _unacknowledged)
        {
            if (_time.GetElapsedTime(sentAt) > _options.AckTimeout)
            {
                throw new TimeoutException($"no acknowledgement from the collector within {_options.AckTimeout.TotalSeconds:0.#} s");
            }
        }
    }

    private void ReceiveAcknowledgements(DtlsClientConnection connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[DtlsPolicy.ReceiveLimit];
        while (!cancellationToken.IsCancellationRequested)
        {
            var received = connection.Receive(buffer, 250);
            if (received >= 0 && TelemetryJson.ReadAcknowledgement(buffer.AsSpan(0, received)) is { } sequence
                && _unacknowledged.TryRemove(sequence, out _))
            {
                Interlocked.Increment(ref _acknowledged);
            }
        }
    }

    private void OnConnected(DtlsClientConnection connection)
    {
        var peer = connection.Peer;
        lock (_stateLock)
        {
            _state = _state with
            {
                Connected = true,
                ConnectedSince = _time.GetUtcNow(),
                Peer = peer.Verified ? peer.VerifiedName : "peer not verified",
                PeerVerified = peer.Verified,
                PeerFingerprint = peer.Fingerprint,
            };
        }

        _log(peer.Verified ? TelemetryLogLevel.Information : TelemetryLogLevel.Warning, $"telemetry connected to {_host}:{_port}: {peer.Describe()}");
    }

    private void OnDisconnected()
    {
        // What the collector never acknowledged goes back in the queue, to be sent on the next connection.
        var pending = _unacknowledged.Values.Select(v => v.Record).ToList();
        _unacknowledged.Clear();
        _queue.Requeue(pending);
        lock (_stateLock)
        {
            _state = _state with { Connected = false, ConnectedSince = null };
        }
    }

    private void SetError(string message)
    {
        lock (_stateLock)
        {
            _state = _state with { LastError = message, LastErrorAt = _time.GetUtcNow() };
        }

        _log(TelemetryLogLevel.Warning, "telemetry: " + message);
    }
}
