using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace SecureCam.Telemetry;

/// <summary>
/// One remote endpoint's view of the collector's shared UDP socket: the collector's receive loop feeds it the
/// datagrams from that endpoint, and it sends with SendTo. BouncyCastle needs one DatagramTransport per peer.
/// </summary>
internal sealed class PeerDatagramTransport : DatagramTransport, IDisposable
{
    // A handshake flight is a handful of datagrams; more than this queued means the session thread is stuck,
    // and dropping is what UDP would do anyway.
    private const int QueueCapacity = 256;

    private readonly Socket _socket;
    private readonly BlockingCollection<byte[]> _incoming = new(QueueCapacity);
    private volatile bool _closed;

    public PeerDatagramTransport(Socket socket, IPEndPoint remote)
    {
        _socket = socket;
        Remote = remote;
    }

    public IPEndPoint Remote { get; }

    /// <summary>Hands a datagram from <see cref="Remote"/> to the session; false (dropped) when its queue is full or closed.</summary>
    public bool Deliver(byte[] datagram)
    {
        try
        {
            return !_closed && _incoming.TryAdd(datagram);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public int GetReceiveLimit() => DtlsPolicy.ReceiveLimit;

    public int GetSendLimit() => DtlsPolicy.DatagramLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
        {
            // Any exception but a timeout ends BouncyCastle's loop, which is what a closed session needs.
            throw new ObjectDisposedException(nameof(PeerDatagramTransport));
        }

        try
        {
            if (!_incoming.TryTake(out var datagram, Math.Max(0, waitMillis)))
            {
                return _closed ? throw new ObjectDisposedException(nameof(PeerDatagramTransport)) : -1;
            }

            var count = Math.Min(buffer.Length, datagram.Length);
            datagram.AsSpan(0, count).CopyTo(buffer);
            return count;
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(PeerDatagramTransport));
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (_closed)
        {
            return;
        }

        _socket.SendTo(buffer, SocketFlags.None, Remote);
    }

    public void Close()
    {
        _closed = true;
        try
        {
            _incoming.CompleteAdding();
        }
        catch (ObjectDisposedException)
        {
            // The session ended and disposed us while the collector was stopping it: already closed.
        }
    }

    public void Dispose()
    {
        Close();
        _incoming.Dispose();
    }
}
