namespace SecureCam.Bench.Http;

/// <summary>Counts body bytes and keeps the first two, to tell a JPEG (FF D8) from an error page.</summary>
internal sealed class CountingBodyConsumer : IBodyConsumer
{
    private int _prefix;
    private int _prefixCount;

    public long Length { get; private set; }

    public bool StartsWithJpegMarker => _prefixCount == 2 && _prefix == 0xFFD8;

    public void Reset()
    {
        Length = 0;
        _prefix = 0;
        _prefixCount = 0;
    }

    public void Consume(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length && _prefixCount < 2; i++)
        {
            _prefix = (_prefix << 8) | data[i];
            _prefixCount++;
        }

        Length += data.Length;
    }
}
