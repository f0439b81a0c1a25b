using System.Net;
using System.Net.Sockets;
using SecureCam.Network.Clock;

namespace SecureCam.Network.Tests;

/// <summary>
/// An SNTP server on loopback whose clock runs <see cref="Offset"/> ahead of ours; it answers the way
/// RFC 4330 section 5 describes (mode 4, originate = the client's transmit timestamp).
/// </summary>
internal sealed class FakeNtpServer : IAsyncDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeNtpServer(TimeSpan offset, byte stratum = 2, bool echoOriginate = true)
    {
        Offset = offset;
        _loop = Task.Run(() => ServeAsync(stratum, echoOriginate));
    }

    public TimeSpan Offset { get; }

    public int Port => ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;

    public NtpServerAddress Address => new("127.0.0.1", Port);

    public int Requests { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(byte stratum, bool echoOriginate)
    {
        while (!_stop.IsCancellationRequested)
        {
            var request = await _udp.ReceiveAsync(_stop.Token);
            var received = DateTime.UtcNow + Offset;
            Requests++;
            var reply = new byte[48];
            reply[0] = 0b00_100_100; // LI 0, version 4, mode 4 (server)
            reply[1] = stratum;
            if (echoOriginate)
            {
                request.Buffer.AsSpan(40, 8).CopyTo(reply.AsSpan(24));
            }

            NtpTimestamp.Write(reply.AsSpan(16), received);
            NtpTimestamp.Write(reply.AsSpan(32), received);
            NtpTimestamp.Write(reply.AsSpan(40), DateTime.UtcNow + Offset);
            await _udp.SendAsync(reply, request.RemoteEndPoint, _stop.Token);
        }
    }
}
