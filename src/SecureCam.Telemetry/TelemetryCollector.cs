using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace SecureCam.Telemetry;

/// <summary>
/// A DTLS 1.2 telemetry collector for many cameras on one UDP socket. One receive loop demultiplexes datagrams by
/// remote endpoint to per-session transports; each session runs BouncyCastle's blocking server on its own thread,
/// writes every record as a JSON line with the camera's verified identity (or "unverified") and acknowledges it.
/// </summary>
/// <remarks>
/// No HelloVerifyRequest: BouncyCastle 1.8.10's DtlsServerProtocol has a VerifyRequests flag but never sends one
/// ("TODO" in its source), and a cookie exchange in front of it cannot hand over to it because the handshake message
/// sequence (part of the Finished hash) would start at 0 on our side and at 1 on the camera's. Instead a new session
/// needs a well-formed ClientHello and a free slot among <see cref="CollectorOptions.MaxPendingHandshakes"/>.
/// </remarks>
public sealed class TelemetryCollector : IAsyncDisposable
{
    // Readable lines: '+' and non-ASCII as they are, still valid JSON.
    private static readonly System.Text.Json.JsonSerializerOptions LineFormat = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly CollectorOptions _options;
    private readonly TextWriter _output;
    private readonly Action<string> _log;
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<IPEndPoint, CollectorSession> _sessions = new();
    private readonly ConcurrentDictionary<CollectorSession, Thread> _threads = new();
    private readonly Lock _outputLock = new();
    private long _established;
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
        _sessions.Count);

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

                Dispatch((IPEndPoint)result.RemoteEndPoint, buffer.AsSpan(0, result.ReceivedBytes));
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

    internal void SessionEnded(CollectorSession session)
    {
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

    private void Dispatch(IPEndPoint remote, ReadOnlySpan<byte> datagram)
    {
        if (_sessions.TryGetValue(remote, out var session))
        {
            session.Transport.Deliver(datagram.ToArray());
            return;
        }

        if (!LooksLikeClientHello(datagram) || _sessions.Count >= _options.MaxSessions)
        {
            Interlocked.Increment(ref _ignored);
            return;
        }

        if (Interlocked.Increment(ref _pending) > _options.MaxPendingHandshakes)
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _ignored);
            return;
        }

        session = new CollectorSession(this, _options, new PeerDatagramTransport(_socket, remote));
        _sessions[remote] = session;
        session.Transport.Deliver(datagram.ToArray());
        _threads[session] = session.Start();
    }

    /// <summary>
    /// A whole, unfragmented ClientHello in a DTLS handshake record: record type 22, a DTLS version, epoch 0, a record
    /// length that fits, handshake type 1 with message_seq 0 and one fragment covering the whole message, and a DTLS
    /// client_version. Anything else from an unknown endpoint is dropped before BouncyCastle sees it.
    /// </summary>
    internal static bool LooksLikeClientHello(ReadOnlySpan<byte> datagram)
    {
        const int RecordHeader = 13;
        const int HandshakeHeader = 12;
        if (datagram.Length < RecordHeader + HandshakeHeader + 2
            || datagram[0] != 22 || datagram[1] != 0xFE || datagram[3] != 0 || datagram[4] != 0)
        {
            return false;
        }

        var recordLength = datagram[11] << 8 | datagram[12];
        var hello = datagram[RecordHeader..];
        var messageLength = Uint24(hello[1..]);
        var messageSeq = hello[4] << 8 | hello[5];
        var fragmentOffset = Uint24(hello[6..]);
        var fragmentLength = Uint24(hello[9..]);
        return recordLength <= datagram.Length - RecordHeader
            && hello[0] == 1
            && messageSeq == 0
            && fragmentOffset == 0
            && fragmentLength == messageLength
            && HandshakeHeader + messageLength == recordLength
            && hello[HandshakeHeader] == 0xFE;
    }

    private static int Uint24(ReadOnlySpan<byte> b) => b[0] << 16 | b[1] << 8 | b[2];

    private async Task StopSessionsAsync()
    {
        foreach (var session in _sessions.Values)
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
