using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace SecureCam.Telemetry.Tests;

/// <summary>
/// A camera's UDP socket that can move to a new local port mid-session, as a NAT rebinding or a roaming Wi-Fi client
/// looks from the collector. Old sockets stay open (unread) until Close, so a receive in progress is never torn down.
/// </summary>
public sealed class RebindingTransport : DatagramTransport
{
    private readonly IPEndPoint _remote;
    private readonly List<Socket> _retired = [];
    private volatile Socket _socket;

    public RebindingTransport(IPEndPoint remote)
    {
        _remote = remote;
        _socket = Open(remote);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Every datagram sent, in order (what an eavesdropper on the path could replay).</summary>
    public List<byte[]> Sent { get; } = [];

    /// <summary>Moves to a fresh socket on a new port; returns the new local endpoint.</summary>
    public IPEndPoint Rebind()
    {
        var fresh = Open(_remote);
        lock (_retired)
        {
            _retired.Add(_socket);
        }

        _socket = fresh;
        return LocalEndPoint;
    }

    public int GetReceiveLimit() => DtlsPolicy.ReceiveLimit;

    public int GetSendLimit() => DtlsPolicy.DatagramLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        // Short polls, so a rebind during a wait is picked up before the wait ends.
        var deadline = Environment.TickCount64 + Math.Max(0, waitMillis);
        do
        {
            var socket = _socket;
            if (socket.Poll(TimeSpan.FromMilliseconds(20), SelectMode.SelectRead))
            {
                return socket.Receive(buffer, SocketFlags.None);
            }
        }
        while (Environment.TickCount64 < deadline);

        return -1;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        lock (Sent)
        {
            Sent.Add(buffer.ToArray());
        }

        _socket.Send(buffer, SocketFlags.None);
    }

    public void Close()
    {
        _socket.Dispose();
        lock (_retired)
        {
            _retired.ForEach(s => s.Dispose());
        }
    }

    private static Socket Open(IPEndPoint remote)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Connect(remote);
        return socket;
    }
}
