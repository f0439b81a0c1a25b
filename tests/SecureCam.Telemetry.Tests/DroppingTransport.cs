using Org.BouncyCastle.Tls;

namespace SecureCam.Telemetry.Tests;

/// <summary>A lossy path: wraps a transport and silently drops the datagrams whose send or receive number is listed.</summary>
public sealed class DroppingTransport : DatagramTransport
{
    private readonly DatagramTransport _inner;
    private readonly HashSet<int> _dropSends;
    private readonly HashSet<int> _dropReceives;
    private int _sends;
    private int _receives;

    public DroppingTransport(DatagramTransport inner, IEnumerable<int> dropSends, IEnumerable<int> dropReceives)
    {
        _inner = inner;
        _dropSends = [.. dropSends];
        _dropReceives = [.. dropReceives];
    }

    public int DroppedCount { get; private set; }

    public int GetReceiveLimit() => _inner.GetReceiveLimit();

    public int GetSendLimit() => _inner.GetSendLimit();

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        var deadline = Environment.TickCount64 + waitMillis;
        while (true)
        {
            var received = _inner.Receive(buffer, (int)Math.Max(0, deadline - Environment.TickCount64));
            if (received < 0 || !_dropReceives.Contains(++_receives))
            {
                return received;
            }

            DroppedCount++;
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (_dropSends.Contains(++_sends))
        {
            DroppedCount++;
            return;
        }

        _inner.Send(buffer);
    }

    public void Close() => _inner.Close();
}
