using SecureCam.Camera.Jpeg;

namespace SecureCam.Camera.Tests;

public sealed class JpegStreamSplitterTests
{
    private static readonly List<byte[]> Originals = TestJpegs.Frames(6);

    [Fact]
    public void Concatenated_frames_come_out_whole_and_in_order()
    {
        var (frames, skipped, _) = Split(Originals.SelectMany(f => f).ToArray(), chunk: 4096);
        Assert.Equal(Originals.Count, frames.Count);
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(Originals[i], frames[i]);
        }

        Assert.Empty(skipped);
    }

    [Fact]
    public void Ffd9_inside_an_app_segment_does_not_end_the_frame()
    {
        var tricky = TestJpegs.WithTrickyAppSegment(Originals[0]);
        var (frames, skipped, _) = Split([.. tricky, .. Originals[1]], chunk: 7);
        Assert.Equal(2, frames.Count);
        Assert.Equal(tricky, frames[0]);
        Assert.Empty(skipped);
    }

    [Fact]
    public void Random_garbage_split_points_and_truncations_never_emit_a_non_jpeg()
    {
        var random = new Random(20261121);
        for (int round = 0; round < 200; round++)
        {
            using var stream = new MemoryStream();
            var whole = new List<byte[]>();
            var log = new List<string>();
            for (int i = 0; i < 12; i++)
            {
                var frame = Originals[random.Next(Originals.Count)];
                switch (random.Next(4))
                {
                    case 0:
                        // Garbage, sometimes with stray FFD8/FFD9 bytes in it.
                        var garbage = new byte[random.Next(1, 3000)];
                        random.NextBytes(garbage);
                        stream.Write(garbage);
                        log.Add($"garbage {garbage.Length}");
                        break;
                    case 1:
                        // A frame cut short at a random point.
                        int cut = random.Next(1, frame.Length - 1);
                        stream.Write(frame.AsSpan(0, cut));
                        log.Add($"cut {cut}/{frame.Length}");
                        break;
                    default:
                        stream.Write(frame);
                        whole.Add(frame);
                        log.Add("whole");
                        break;
                }
            }

            var bytes = stream.ToArray();
            var (frames, skippedReasons, _) = Split(bytes, chunk: random.Next(1, 20000), random);
            foreach (var frame in frames)
            {
                Assert.True(frame.Length > 4 && frame[0] == 0xFF && frame[1] == 0xD8 && frame[^2] == 0xFF && frame[^1] == 0xD9, "emitted a frame without SOI/EOI");
                Assert.True(Originals.Exists(o => o.AsSpan().SequenceEqual(frame)), $"round {round}: emitted a {frame.Length}-byte frame that is none of the originals (common prefix {Originals.Max(o => o.AsSpan().CommonPrefixLength(frame))}); log: {string.Join(", ", log)}");
            }

            // Each whole frame is found again after garbage or a truncated frame, in order. (Garbage
            // holding FFD8 FF followed by a plausible segment could in theory hide one; the fixed
            // seed keeps this test deterministic.)
            Assert.True(whole.Count == frames.Count && whole.Zip(frames).All(p => p.First.AsSpan().SequenceEqual(p.Second)), $"round {round}: {frames.Count} of {whole.Count} whole frames found; log: {string.Join(", ", log)}; skipped: {string.Join("; ", skippedReasons)}");
        }
    }

    [Fact]
    public void Whole_frames_after_garbage_and_truncation_are_all_recovered()
    {
        var garbage = new byte[5000];
        new Random(7).NextBytes(garbage);
        Array.Fill(garbage, (byte)0x00, 0, 10);
        byte[] stream = [.. garbage, .. Originals[0].AsSpan(0, 900), .. Originals[1], .. garbage, .. Originals[2], .. Originals[3].AsSpan(0, Originals[3].Length - 1), .. Originals[4]];
        var (frames, skipped, discarded) = Split(stream, chunk: 333);
        Assert.Equal([Originals[1], Originals[2], Originals[4]], frames);
        Assert.True(skipped.Count >= 2, "both truncated frames must be counted as skipped: " + string.Join("; ", skipped));
        Assert.True(discarded >= garbage.Length, $"garbage between frames is counted as discarded ({discarded})");
    }

    [Fact]
    public void A_frame_over_the_size_limit_is_skipped_and_the_next_one_served()
    {
        var big = TestJpegs.Frames(1, 640, 480)[0];
        var small = Originals[0];
        var emitted = new List<byte[]>();
        var skipped = new List<string>();
        var splitter = new JpegStreamSplitter(big.Length - 100, (f, _) => emitted.Add(f), skipped.Add, _ => { });
        foreach (var chunk in new[] { small, big, small }.SelectMany(f => f).Chunk(1000))
        {
            splitter.Push(chunk);
        }

        Assert.Equal([small, small], emitted);
        Assert.Contains(skipped, s => s.Contains("larger than", StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_size_and_whether_huffman_tables_are_present()
    {
        var infos = new List<JpegFrameInfo>();
        var splitter = new JpegStreamSplitter(1 << 20, (_, info) => infos.Add(info), _ => { }, _ => { });
        splitter.Push(Originals[0]);
        splitter.Push(TestJpegs.WithoutHuffmanTables(Originals[0]));
        Assert.Equal(2, infos.Count);
        Assert.Equal((160, 96, true), (infos[0].Width, infos[0].Height, infos[0].HasHuffmanTables));
        Assert.False(infos[1].HasHuffmanTables);
    }

    [Theory]
    [InlineData("soi-storm", 65536)]
    [InlineData("soi-storm", 1)]
    [InlineData("long-table-trickle", 1)]
    [InlineData("long-table-trickle", 3)]
    [InlineData("marker-fill", 65536)]
    [InlineData("random", 4096)]
    public void Hostile_streams_cost_linear_time_and_never_throw(string shape, int chunk)
    {
        // 4 MB of each shape; a quadratic splitter needs minutes to hours for these, a linear one well under a second.
        var stream = HostileStream(shape, 4 << 20);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (frames, skipped, discarded) = Split(stream, chunk);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"{shape} in {chunk}-byte pieces took {watch.Elapsed}");
        Assert.Empty(frames);
        Assert.True(skipped.Count + discarded > 0);

        // And a real frame after the storm still comes out whole.
        var (after, _, _) = Split([.. stream.AsSpan(0, 4096), 0xFF, 0xD9, .. Originals[0]], chunk: 512);
        Assert.Equal(Originals[0], after[^1]);
    }

    private static byte[] HostileStream(string shape, int size)
    {
        var stream = new byte[size];
        var random = new Random(size);
        switch (shape)
        {
            case "soi-storm":
                for (var i = 0; i + 1 < size; i += 2)
                {
                    stream[i] = 0xFF;
                    stream[i + 1] = 0xD8;
                }

                break;
            case "long-table-trickle":
                // SOI, then DQT segments claiming 65535 bytes, whose bodies never hold an SOI: each is read in tiny pieces.
                for (var i = 0; i + 6 < size; i += 65537)
                {
                    stream[i] = 0xFF;
                    stream[i + 1] = 0xD8;
                    stream[i + 2] = 0xFF;
                    stream[i + 3] = 0xDB;
                    stream[i + 4] = 0xFF;
                    stream[i + 5] = 0xFF;
                }

                break;
            case "marker-fill":
                stream.AsSpan().Fill(0xFF);
                stream[0] = 0xFF;
                stream[1] = 0xD8;
                break;
            default:
                random.NextBytes(stream);
                break;
        }

        return stream;
    }

    private static (List<byte[]> Frames, List<string> Skipped, long Discarded) Split(byte[] stream, int chunk, Random? random = null)
    {
        var frames = new List<byte[]>();
        var skipped = new List<string>();
        long discarded = 0;
        var splitter = new JpegStreamSplitter(1 << 20, (f, _) => frames.Add(f), skipped.Add, n => discarded += n);
        int at = 0;
        while (at < stream.Length)
        {
            int n = Math.Min(stream.Length - at, random is null ? chunk : random.Next(1, chunk + 1));
            splitter.Push(stream.AsSpan(at, n));
            at += n;
        }

        return (frames, skipped, discarded);
    }
}
