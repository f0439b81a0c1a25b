using SecureCam.Camera.Jpeg;

namespace SecureCam.Camera.Tests;

public sealed class HuffmanTableInserterTests
{
    [SkippableFact]
    public async Task A_frame_without_dht_gets_the_standard_tables_and_decodes_to_the_same_picture()
    {
        var original = TestJpegs.Frames(1, 320, 192)[0];
        var stripped = TestJpegs.WithoutHuffmanTables(original);
        JpegFrameInfo? info = null;
        new JpegStreamSplitter(1 << 20, (_, i) => info = i, _ => { }, _ => { }).Push(stripped);
        Assert.NotNull(info);
        Assert.False(info.Value.HasHuffmanTables);

        var repaired = HuffmanTableInserter.EnsureHuffmanTables(stripped, info.Value);
        Assert.Equal(original.Length, repaired.Length);
        Assert.NotEqual(stripped.Length, repaired.Length);

        JpegFrameInfo? after = null;
        new JpegStreamSplitter(1 << 20, (_, i) => after = i, _ => { }, _ => { }).Push(repaired);
        Assert.True(after?.HasHuffmanTables);

        await JpegDecoder.AssertDecodesAsync(repaired, "repaired");
        Assert.Equal(await JpegDecoder.DecodeGrayAsync(original), await JpegDecoder.DecodeGrayAsync(repaired));
    }

    [Fact]
    public void A_frame_with_tables_is_left_alone()
    {
        var original = TestJpegs.Frames(1)[0];
        JpegFrameInfo? info = null;
        new JpegStreamSplitter(1 << 20, (_, i) => info = i, _ => { }, _ => { }).Push(original);
        Assert.Same(original, HuffmanTableInserter.EnsureHuffmanTables(original, info!.Value));
    }
}
