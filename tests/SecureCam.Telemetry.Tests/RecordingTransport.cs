using Org.BouncyCastle.Crypto.Tls;

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

    public void Send(byte[] buf, int off, int len)
    {
        FirstSent ??= buf.AsSpan(off, len).ToArray();
        _inner.Send(buf, off, len);
    }

    public void Close() => _inner.Close();
}
