using Org.BouncyCastle.Tls;

namespace SecureCam.Telemetry.Tests;

/// <summary>Passes datagrams through and keeps a copy of the first one sent (the ClientHello).</summary>
public sealed class RecordingTransport : DatagramTransport
{
    private readonly DatagramTransport _inner;

    public RecordingTransport(DatagramTransport inner)
    {
        _inner = inner;
    }

    public byte[]? FirstSent { get; private set; }

    public int GetReceiveLimit() => _inner.GetReceiveLimit();

    public int GetSendLimit() => _inner.GetSendLimit();

    public int Receive(byte[] buf, int off, int len, int waitMillis) => _inner.Receive(buf, off, len, waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis) => _inner.Receive(buffer, waitMillis);

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        FirstSent ??= buffer.ToArray();
        _inner.Send(buffer);
    }

    public void Close() => _inner.Close();
}
