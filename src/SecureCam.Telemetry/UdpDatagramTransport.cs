using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace SecureCam.Telemetry;

/// <summary>
/// A connected UDP socket as BouncyCastle's DatagramTransport. Connected, so the kernel drops datagrams from any
/// other source before they reach the DTLS record layer.
/// </summary>
public sealed class UdpDatagramTransport : DatagramTransport, IDisposable
{
    private readonly Socket _socket;

    private UdpDatagramTransport(Socket socket)
    {
        _socket = socket;
    }

    public IPEndPoint RemoteEndPoint => (IPEndPoint)_socket.RemoteEndPoint!;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static async Task<UdpDatagramTransport> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var address = addresses[0];
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            return new UdpDatagramTransport(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public int GetReceiveLimit() => DtlsPolicy.ReceiveLimit;

    public int GetSendLimit() => DtlsPolicy.DatagramLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>Waits with Poll and returns -1 on timeout, the contract BouncyCastle's record layer expects.</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!_socket.Poll(TimeSpan.FromMilliseconds(Math.Max(0, waitMillis)), SelectMode.SelectRead))
        {
            return -1;
        }

        // A ConnectionRefused here (ICMP port unreachable: nothing listens) propagates and ends the attempt at
        // once instead of retransmitting into the void until the handshake timeout.
        return _socket.Receive(buffer, SocketFlags.None);
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer) => _socket.Send(buffer, SocketFlags.None);

    public void Close() => _socket.Close();

    public void Dispose() => _socket.Dispose();
}
