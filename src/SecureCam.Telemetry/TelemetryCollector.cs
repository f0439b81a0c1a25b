using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
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
    private int _pending;

    private TelemetryCollector(CollectorOptions options, TextWriter output, Action<string> log, Socket socket)
    {
        _options = options;
        _output = output;
        _log = log;
        _socket = socket;
    }

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
        _sessionsById.Count);

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

                Dispatch((IPEndPoint)result.RemoteEndPoint, buffer, result.ReceivedBytes);
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

    internal void MalformedRecord(CollectorSession session)
    {
        Interlocked.Increment(ref _malformed);
        _log($"malformed record from {session.Remote} ignored");
    }

    internal void WriteRecord(CollectorSession session, string identity, string? fingerprint, JsonObject record)
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
            _output.WriteLine(text);
            _output.Flush();
        }

        Interlocked.Increment(ref _records);
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
