using System.Net;
using System.Threading.RateLimiting;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace SecureCam.Telemetry;

/// <summary>One camera's DTLS session at the collector, run on its own thread (BouncyCastle's API is blocking).</summary>
internal sealed class CollectorSession
{
    private readonly TelemetryCollector _collector;
    private readonly CollectorOptions _options;
    private readonly CollectorTlsServer _server;
    private readonly Lock _sendLock = new();
    private readonly DtlsRequest _request;
    private DtlsTransport? _dtls;
    private TokenBucketRateLimiter? _unverifiedLimit;
    private bool _malformedSeen;
    private bool _rateLimitedSeen;
    private volatile bool _stopping;

    /// <param name="request">The ClientHello that came back with a valid cookie; the handshake continues from it.</param>
    /// <param name="connectionId">This session's connection ID, unique among the collector's sessions.</param>
    public CollectorSession(TelemetryCollector collector, CollectorOptions options, PeerDatagramTransport transport, DtlsRequest request, ulong connectionId)
    {
        _request = request;
        _collector = collector;
        _options = options;
        Transport = transport;
        ConnectionId = connectionId;
        var cid = new byte[sizeof(ulong)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(cid, connectionId);
        _server = new CollectorTlsServer(options, new BcTlsCrypto(new SecureRandom()), cid);
    }

    public PeerDatagramTransport Transport { get; }

    public ulong ConnectionId { get; }

    public IPEndPoint Remote => Transport.Remote;

    public bool Established => _dtls is not null;

    public Thread Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "dtls " + Remote };
        thread.Start();
        return thread;
    }

    /// <summary>Sends close_notify (when established) and ends the session.</summary>
    public void Stop()
    {
        _stopping = true;
        CloseDtls();
        Transport.Close();
    }

    /// <summary>Sends close_notify, best effort.</summary>
    private void CloseDtls()
    {
        lock (_sendLock)
        {
            try
            {
                _dtls?.Close();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // Best effort: the peer may be gone.
            }
        }
    }

    private void Run()
    {
        var established = false;
        try
        {
            var protocol = new DtlsServerProtocol();
            DtlsTransport dtls;
            try
            {
                dtls = protocol.Accept(_server, Transport, _request);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // Reported even while stopping: the collector counts pending handshakes down here.
                _collector.HandshakeFailed(this, _stopping ? null : Describe(e, inHandshake: true));
                return;
            }

            lock (_sendLock)
            {
                _dtls = dtls;
            }

            var identity = _server.CameraName is null ? "unverified" : _server.CameraName;
            if (_server.CameraName is null)
            {
                _unverifiedLimit = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(64, _options.UnverifiedRecordsPerSecond),
                    TokensPerPeriod = _options.UnverifiedRecordsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
            }

            _collector.SessionEstablished(this, identity);
            established = true;
            ReceiveRecords(dtls, identity);
        }
#pragma warning disable CA1031 // A session thread's exception would end the process: it ends this session only.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (!established)
            {
                _collector.HandshakeFailed(this, "internal error: " + e.Message);
            }

            _collector.InternalError($"session from {Remote}", e);
            CloseDtls();
        }
        finally
        {
            _collector.SessionEnded(this);
            Transport.Dispose();
            _unverifiedLimit?.Dispose();
        }
    }

    private void ReceiveRecords(DtlsTransport dtls, string identity)
    {
        var buffer = new byte[dtls.GetReceiveLimit()];
        var lastHeard = DateTime.UtcNow;
        while (!_stopping)
        {
            // At least once a second (the receive wait): a revoked camera's open session ends within seconds.
            if (_server.DeviceCertificate is { } device && _options.ClientCrl?.RevocationOf(device) is { } revoked)
            {
                _collector.SessionClosed(this, "device certificate revoked: " + revoked);
                CloseDtls();
                return;
            }

            int received;
            try
            {
                received = dtls.Receive(buffer, 1000, FollowPeer);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                if (!_stopping)
                {
                    _collector.SessionClosed(this, Describe(e, inHandshake: false));
                }

                return;
            }

            if (received < 0)
            {
                if (DateTime.UtcNow - lastHeard > _options.IdleTimeout)
                {
                    _collector.SessionClosed(this, $"idle for {_options.IdleTimeout.TotalSeconds:0} s");
                    return;
                }

                continue;
            }

            lastHeard = DateTime.UtcNow;
            HandleRecord(dtls, buffer.AsSpan(0, received), identity);
        }
    }

    /// <summary>
    /// RFC 9146 6: the peer's address changes only on an authenticated record that carries our connection ID and is
    /// the newest seen, so a replayed or forged datagram from elsewhere cannot redirect the session.
    /// </summary>
    private void FollowPeer(DtlsRecordFlags flags)
    {
        const DtlsRecordFlags Required = DtlsRecordFlags.IsNewest | DtlsRecordFlags.UsesConnectionID;
        var source = Transport.LastSource;
        if ((flags & Required) == Required && !source.Equals(Transport.Remote))
        {
            _collector.SessionMoved(this, source);
        }
    }

    private void HandleRecord(DtlsTransport dtls, ReadOnlySpan<byte> data, string identity)
    {
        var record = TelemetryJson.ReadRecord(data, out var problem);
        if (record is null)
        {
            _collector.MalformedRecord(this, problem!, first: !_malformedSeen);
            _malformedSeen = true;
            return;
        }

        if (_unverifiedLimit is not null && !Admit(_unverifiedLimit))
        {
            _collector.RateLimited(this, first: !_rateLimitedSeen);
            _rateLimitedSeen = true;
            return;
        }

        if (!_collector.WriteRecord(this, identity, _server.CameraFingerprint, record))
        {
            return;
        }

        _options.RecordReceived?.Invoke(new ReceivedRecord(identity, _server.CameraName is not null, record));

        var sequence = record["seq"]!.GetValue<long>();
        var ack = TelemetryJson.Acknowledgement(sequence);
        lock (_sendLock)
        {
            try
            {
                dtls.Send(ack);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // The receive loop notices a dead session; a lost acknowledgement only causes a resend.
            }
        }
    }

    /// <summary>Takes one token from this session's budget and one from all unverified sessions' together.</summary>
    private bool Admit(TokenBucketRateLimiter own)
    {
        using var mine = own.AttemptAcquire();
        if (!mine.IsAcquired)
        {
            return false;
        }

        using var shared = _collector.UnverifiedRecords.AttemptAcquire();
        return shared.IsAcquired;
    }

    private string Describe(Exception e, bool inHandshake) => e switch
    {
        TlsFatalAlertReceived received when inHandshake => $"the camera refused us with alert {DtlsPolicy.AlertName(received.AlertDescription)}",
        TlsFatalAlertReceived received => $"the camera sent alert {DtlsPolicy.AlertName(received.AlertDescription)}",
        TlsFatalAlert { InnerException: ObjectDisposedException } => "the session was closed (close_notify)",
        TlsFatalAlert alert when _server.RefusalReason is not null => $"refused with alert {DtlsPolicy.AlertName(alert.AlertDescription)}: {_server.RefusalReason}",
        TlsTimeoutException => $"no complete handshake within {_options.HandshakeTimeout.TotalSeconds:0.#} s",
        TlsFatalAlert alert => $"alert {DtlsPolicy.AlertName(alert.AlertDescription)}" + (alert.InnerException is null ? "" : $" ({alert.InnerException.Message})"),
        TlsNoCloseNotifyException or ObjectDisposedException => "the camera closed the session",
        _ => e.Message,
    };
}
