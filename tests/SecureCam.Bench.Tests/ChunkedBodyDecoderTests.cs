using System.Text;
using SecureCam.Bench.Http;

namespace SecureCam.Bench.Tests;

public class ChunkedBodyDecoderTests
{
    private sealed class Collector : IBodyConsumer
    {
        public MemoryStream Bytes { get; } = new();

        public void Consume(ReadOnlySpan<byte> data) => Bytes.Write(data);
    }

    [Fact]
    public void Chunks_are_joined_whatever_the_read_sizes()
    {
        var encoded = Encoding.ASCII.GetBytes("5\r\nhello\r\n1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: 1\r\n\r\n");
        for (var split = 1; split <= encoded.Length; split++)
        {
            var collector = new Collector();
            var decoder = new ChunkedBodyDecoder(collector);
            for (var i = 0; i < encoded.Length; i += split)
            {
                decoder.Consume(encoded.AsSpan(i, Math.Min(split, encoded.Length - i)));
            }

            Assert.Equal("helloabcdefghijklmnopqrstuvwxyz", Encoding.ASCII.GetString(collector.Bytes.ToArray()));
            Assert.True(decoder.IsComplete);
        }
    }

    [Fact]
    public void An_endless_stream_is_never_complete()
    {
        var decoder = new ChunkedBodyDecoder(new Collector());
        decoder.Consume("3\r\nabc\r\n4\r\nde"u8);
        Assert.False(decoder.IsComplete);
    }

    [Theory]
    [InlineData("zz\r\nabc\r\n")]
    [InlineData("\r\n")]
    [InlineData("3\r\nabcX\r\n")]
    public void Malformed_chunks_are_errors(string encoded)
    {
        var decoder = new ChunkedBodyDecoder(new Collector());
        Assert.Throws<InvalidDataException>(() => decoder.Consume(Encoding.ASCII.GetBytes(encoded)));
    }
}
