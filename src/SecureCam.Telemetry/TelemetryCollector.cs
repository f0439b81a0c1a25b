using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace SecureCam.Telemetry;

/// <summary>
/// A DTLS 1.2 telemetry collector for many cameras on one UDP socket. One receive loop demultiplexes datagrams by
/// connection ID (RFC 9146, when the camera supports it) or else by remote endpoint to per-session transports; each session runs BouncyCastle's blocking server on its own thread,
/// writes every record as a JSON line with the camera's verified identity (or "unverified") and acknowledges it.
/// </summary>
/// <remarks>
/// A ClientHello from an unknown endpoint is answered statelessly by <see cref="DtlsVerifier"/>: a HelloVerifyRequest
/// whose cookie is an HMAC of the hello and the source address (RFC 6347 4.2.1). Only a hello that returns the cookie,
/// proving the source can receive, takes one of <see cref="CollectorOptions.MaxPendingHandshakes"/> slots and costs any
/// public-key work; the reply to a spoofed hello is smaller than the hello, so the collector is no amplifier.
/// </remarks>
public sealed class TelemetryCollector : IAsyncDisposable
{
    // Readable lines: '+' and non-ASCII as they are, still valid JSON.
    private static readonly System.Text.Json.JsonSerializerOptions LineFormat = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly CollectorOptions _options;
    private readonly TextWriter _output;
    private readonly Action<string> _log;
    private readonly Socket _socket;
    // A tls12_cid record: type, version, epoch, sequence (11 bytes), our 8-byte connection ID, length.
    private const int ConnectionIdOffset = 11;
    private const int ConnectionIdRecordMinimum = ConnectionIdOffset + sizeof(ulong) + 2;

    // Every session, by its connection ID; the set that counts against MaxSessions.
    private readonly ConcurrentDictionary<ulong, CollectorSession> _sessionsById = new();

    // Where each session's datagrams without a connection ID come from (all of the handshake).
    private readonly ConcurrentDictionary<IPEndPoint, CollectorSession> _sessions = new();
    private readonly ConcurrentDictionary<CollectorSession, Thread> _threads = new();
    private readonly Lock _outputLock = new();
    private readonly DtlsVerifier _verifier = new(new BcTlsCrypto(new SecureRandom()));
    private long _established;
    private long _helloVerifyRequests;
    private long _failed;
    private long _records;
    private long _malformed;
    private long _ignored;
    private long _rateLimited;
    private long _outputErrors;
    private long _internalErrors;
    private int _pending;
    private bool _outputFailing;
    private long _droppedSinceOutputFailed;

    private TelemetryCollector(CollectorOptions options, TextWriter output, Action<string> log, Socket socket)
    {
        _options = options;
        UnverifiedRecords = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 2 * options.UnverifiedRecordsPerSecondTotal,
            TokensPerPeriod = options.UnverifiedRecordsPerSecondTotal,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        });
        _output = output;

        // The log is the caller's (stderr, say): a failing log must not become a failing session.
        _log = message =>
        {
            try
            {
                log(message);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        };
        _socket = socket;
    }

    /// <summary>The budget all unverified sessions share (each also has its own).</summary>
    internal TokenBucketRateLimiter UnverifiedRecords { get; }

    /// <summary>Where the collector listens (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public CollectorCounters Counters => new(
        Interlocked.Read(ref _established),
        Interlocked.Read(ref _failed),
        Interlocked.Read(ref _records),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _ignored),
        Interlocked.Read(ref _helloVerifyRequests),
        Volatile.Read(ref _pending),
        _sessionsById.Count,
        Interlocked.Read(ref _rateLimited),
        Interlocked.Read(ref _outputErrors),
        Interlocked.Read(ref _internalErrors));

    /// <summary>Binds the UDP socket. Records go to <paramref name="output"/> (one JSON line each); session events to <paramref name="log"/>.</summary>
    public static TelemetryCollector Bind(CollectorOptions options, TextWriter output, Action<string> log)
    {
        options.Validate();
        var socket = new Socket(options.Listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (options.Listen.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = options.Listen.Address.Equals(IPAddress.IPv6Any);
            }

            // Room for bursts from many cameras while session threads catch up.
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.Bind(options.Listen);
            return new TelemetryCollector(options, output, log, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Receives until cancelled, then closes every session with close_notify.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        EndPoint any = new IPEndPoint(_options.Listen.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SocketReceiveFromResult result;
                try
                {
                    result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
                {
                    // ICMP errors for earlier sends, or an oversized datagram: nothing to do with the next datagram.
                    continue;
                }

                try
                {
                    Dispatch((IPEndPoint)result.RemoteEndPoint, buffer, result.ReceivedBytes);
                }
#pragma warning disable CA1031 // One datagram must never stop the receive loop, whatever it triggers.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    InternalError($"datagram from {result.RemoteEndPoint}", e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await StopSessionsAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopSessionsAsync().ConfigureAwait(false);
        _socket.Dispose();
        UnverifiedRecords.Dispose();
    }

    /// <summary>An exception nothing expected: counted and logged with its type, and the collector carries on.</summary>
    internal void InternalError(string where, Exception e)
    {
        Interlocked.Increment(ref _internalErrors);
        _log($"internal error in {where} (ignored, the collector carries on): {e.GetType().Name}: {e.Message}");
    }

    internal void RateLimited(CollectorSession session, bool first)
    {
        Interlocked.Increment(ref _rateLimited);
        if (first)
        {
            _log($"unverified camera at {session.Remote} is over {_options.UnverifiedRecordsPerSecond} records/s (or all unverified cameras over {_options.UnverifiedRecordsPerSecondTotal}/s): dropping the excess, counted, not logged again for this session");
        }
    }

    internal void SessionEstablished(CollectorSession session, string identity)
    {
        Interlocked.Decrement(ref _pending);
        Interlocked.Increment(ref _established);
        _log($"session from {session.Remote}: camera {identity}");
    }

    /// <summary>A handshake ended without a session; <paramref name="reason"/> is null when we stopped it ourselves.</summary>
    internal void HandshakeFailed(CollectorSession session, string? reason)
    {
        Interlocked.Decrement(ref _pending);
        if (reason is null)
        {
            return;
        }

        Interlocked.Increment(ref _failed);
        _log($"handshake from {session.Remote} failed: {reason}");
    }

    internal void SessionClosed(CollectorSession session, string reason) => _log($"session from {session.Remote} ended: {reason}");

    /// <summary>An authenticated, newest record with the session's connection ID came from a new address: follow it.</summary>
    internal void SessionMoved(CollectorSession session, IPEndPoint to)
    {
        var from = session.Remote;
        session.Transport.MoveTo(to);
        _sessions.TryRemove(new KeyValuePair<IPEndPoint, CollectorSession>(from, session));

        // Another session may still own the new endpoint (a stale one of the same NAT port); the ID routes anyway.
        _sessions.TryAdd(to, session);
        _log($"session from {from} moved to {to} (same connection ID)");
    }

    internal void SessionEnded(CollectorSession session)
    {
        _sessionsById.TryRemove(new KeyValuePair<ulong, CollectorSession>(session.ConnectionId, session));
        _sessions.TryRemove(new KeyValuePair<IPEndPoint, CollectorSession>(session.Remote, session));
        _threads.TryRemove(session, out _);
    }

    internal void MalformedRecord(CollectorSession session, string problem, bool first)
    {
        Interlocked.Increment(ref _malformed);
        if (first)
        {
            _log($"malformed record from {session.Remote} dropped ({problem}); further ones from this session are only counted");
        }
    }

    /// <summary>
    /// Writes one JSON line; false when the output failed (a full disk), and the record is not acknowledged, so the
    /// camera keeps it and sends it again. The first failure is logged, the rest counted, until a write succeeds.
    /// </summary>
    internal bool WriteRecord(CollectorSession session, string identity, string? fingerprint, JsonObject record)
    {
        var line = new JsonObject
        {
            ["received"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["from"] = session.Remote.ToString(),
            ["camera"] = identity,
            ["record"] = record,
        };
        if (fingerprint is not null)
        {
            line["fingerprint"] = fingerprint;
        }

        var text = line.ToJsonString(LineFormat);
        lock (_outputLock)
        {
            try
            {
                _output.WriteLine(text);
                _output.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException or NotSupportedException)
            {
                Interlocked.Increment(ref _outputErrors);
                _droppedSinceOutputFailed++;
                if (!_outputFailing)
                {
                    _outputFailing = true;
                    _log($"output write failed ({e.Message}): records are dropped unacknowledged and counted until a write succeeds");
                }

                return false;
            }

            if (_outputFailing)
            {
                _outputFailing = false;
                _log($"output works again after {_droppedSinceOutputFailed} failed writes");
                _droppedSinceOutputFailed = 0;
            }
        }

        Interlocked.Increment(ref _records);
        return true;
    }

    private void Dispatch(IPEndPoint remote, byte[] buffer, int length)
    {
        CollectorSession? session;
        if (length >= ConnectionIdRecordMinimum && buffer[0] == ContentType.tls12_cid)
        {
            // Whatever its source: the session decides, after authenticating the record, whether to follow it.
            var id = BinaryPrimitives.ReadUInt64BigEndian(buffer.AsSpan(ConnectionIdOffset));
            if (!_sessionsById.TryGetValue(id, out session) || !session.Transport.Deliver(buffer.AsSpan(0, length).ToArray(), remote))
            {
                Interlocked.Increment(ref _ignored);
            }

            return;
        }

        if (_sessions.TryGetValue(remote, out session))
        {
            session.Transport.Deliver(buffer.AsSpan(0, length).ToArray(), remote);
            return;
        }

        if (_sessionsById.Count >= _options.MaxSessions)
        {
            Interlocked.Increment(ref _ignored);
            return;
        }

        // Stateless: either the hello carries our cookie for this address, or it gets a HelloVerifyRequest (or
        // nothing, when it is not a ClientHello) and we forget it.
        var cookieSender = new CookieSender(_socket, remote);
        var request = _verifier.VerifyRequest(CookieClientId(remote), buffer, 0, length, cookieSender);
        if (request is null)
        {
            if (cookieSender.Sent)
            {
                Interlocked.Increment(ref _helloVerifyRequests);
            }
            else
            {
                Interlocked.Increment(ref _ignored);
            }

            return;
        }

        if (Interlocked.Increment(ref _pending) > _options.MaxPendingHandshakes)
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _ignored);
            return;
        }

        ulong connectionId;
        do
        {
            connectionId = BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(sizeof(ulong)));
        }
        while (_sessionsById.ContainsKey(connectionId));

        session = new CollectorSession(this, _options, new PeerDatagramTransport(_socket, remote), request, connectionId);
        _sessionsById[connectionId] = session;
        _sessions[remote] = session;
        _threads[session] = session.Start();
    }

    /// <summary>What the cookie is bound to: the source address and port, so a cookie cannot be used from elsewhere.</summary>
    private static byte[] CookieClientId(IPEndPoint remote)
    {
        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        var id = new byte[address.AddressFamily == AddressFamily.InterNetwork ? 6 : 18];
        address.TryWriteBytes(id, out var written);
        id[written] = (byte)(remote.Port >> 8);
        id[written + 1] = (byte)remote.Port;
        return id;
    }

    /// <summary>Sends the verifier's HelloVerifyRequest to one address and remembers that it did.</summary>
    private sealed class CookieSender(Socket socket, IPEndPoint remote) : DatagramSender
    {
        public bool Sent { get; private set; }

        public int GetSendLimit() => DtlsPolicy.DatagramLimit;

        public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

        public void Send(ReadOnlySpan<byte> buffer)
        {
            Sent = true;
            try
            {
                socket.SendTo(buffer, SocketFlags.None, remote);
            }
            catch (SocketException)
            {
                // Unreachable source (a spoofed one, typically): the cookie is lost, as UDP would lose it.
            }
        }
    }

    private async Task StopSessionsAsync()
    {
        foreach (var session in _sessionsById.Values)
        {
            session.Stop();
        }

        // Session threads end within one receive wait (1 s) once their transports are closed.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!_threads.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
