using System.Runtime.CompilerServices;

namespace SecureCam.Camera.Jpeg;

/// <summary>
/// A baseline JPEG encoder (YCbCr 4:2:0, standard Huffman tables) that cuts the scan into restart
/// intervals (DRI + RSTn). Each interval starts byte-aligned with its DC predictors reset, so its
/// entropy-coded bytes depend only on its own pixels, and RSTn depends only on its position: the
/// bytes of an interval whose pixels did not change can be reused in the next frame as they are.
/// The synthetic camera re-encodes only the intervals its moving parts touch.
/// .NET has no JPEG encoder of its own, hence this one.
/// </summary>
internal sealed class RestartIntervalJpegEncoder
{
    private readonly JpegBlockEncoder _blocks;
    private readonly JpegOutputBuffer _output = new(256 * 1024);
    private readonly float[] _samples = new float[64];

    public RestartIntervalJpegEncoder(int width, int height, int quality, int restartIntervalMcus)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 65535);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(restartIntervalMcus, 1);
        Width = width;
        Height = height;
        McusPerRow = (width + 15) / 16;
        McuRows = (height + 15) / 16;
        RestartIntervalMcus = restartIntervalMcus;
        IntervalCount = ((McusPerRow * McuRows) + restartIntervalMcus - 1) / restartIntervalMcus;
        _blocks = new JpegBlockEncoder(quality);
        Header = JpegHeaderWriter.Write(width, height, _blocks.LumaTable, _blocks.ChromaTable, restartIntervalMcus);
    }

    public int Width { get; }

    public int Height { get; }

    public int McusPerRow { get; }

    public int McuRows { get; }

    public int RestartIntervalMcus { get; }

    public int IntervalCount { get; }

    /// <summary>SOI through SOS: the same for every frame of this size and quality.</summary>
    public byte[] Header { get; }

    /// <summary>The restart interval holding the macroblock at (<paramref name="mcuX"/>, <paramref name="mcuY"/>).</summary>
    public int IntervalOf(int mcuX, int mcuY) => ((mcuY * McusPerRow) + mcuX) / RestartIntervalMcus;

    /// <summary>Marks every interval that holds a macroblock overlapping <paramref name="area"/>.</summary>
    public void MarkDirty(PixelRect area, Span<bool> dirty)
    {
        var c = area.ClipTo(McusPerRow * 16, McuRows * 16);
        if (c.IsEmpty)
        {
            return;
        }

        for (int my = c.Y / 16; my <= (c.Bottom - 1) / 16; my++)
        {
            int first = IntervalOf(c.X / 16, my), last = IntervalOf((c.Right - 1) / 16, my);
            dirty[first..(last + 1)].Fill(true);
        }
    }

    /// <summary>The entropy-coded bytes of every interval of <paramref name="planes"/>, to reuse later.</summary>
    public byte[][] EncodeAllIntervals(YCbCrPlanes planes)
    {
        var result = new byte[IntervalCount][];
        for (int i = 0; i < IntervalCount; i++)
        {
            _output.Reset();
            EncodeInterval(planes, i);
            result[i] = _output.ToArray();
        }

        return result;
    }

    /// <summary>
    /// A complete JPEG: intervals marked in <paramref name="dirty"/> (or all, when <paramref name="cache"/>
    /// is null) are encoded from <paramref name="planes"/>, the others copied from <paramref name="cache"/>.
    /// </summary>
    public byte[] Encode(YCbCrPlanes planes, ReadOnlySpan<bool> dirty, byte[][]? cache)
    {
        _output.Reset();
        _output.WriteBytes(Header);
        for (int i = 0; i < IntervalCount; i++)
        {
            if (cache is null || dirty[i])
            {
                EncodeInterval(planes, i);
            }
            else
            {
                _output.WriteBytes(cache[i]);
            }

            if (i < IntervalCount - 1)
            {
                _output.WriteMarker((byte)(JpegMarkers.Rst0 + (i & 7)));
            }
        }

        _output.WriteMarker(JpegMarkers.Eoi);
        return _output.ToArray();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EncodeInterval(YCbCrPlanes planes, int interval)
    {
        int dcY = 0, dcCb = 0, dcCr = 0;
        int firstMcu = interval * RestartIntervalMcus;
        int endMcu = Math.Min(firstMcu + RestartIntervalMcus, McusPerRow * McuRows);
        var samples = _samples.AsSpan();
        for (int mcu = firstMcu; mcu < endMcu; mcu++)
        {
            int x = (mcu % McusPerRow) * 16, y = (mcu / McusPerRow) * 16;

            // 4:2:0 MCU: four luma blocks in raster order, then one Cb and one Cr block.
            for (int b = 0; b < 4; b++)
            {
                Load(planes.Y, planes.PaddedWidth, x + ((b & 1) * 8), y + ((b >> 1) * 8), samples);
                _blocks.Encode(samples, chroma: false, ref dcY, _output);
            }

            Load(planes.Cb, planes.ChromaWidth, x / 2, y / 2, samples);
            _blocks.Encode(samples, chroma: true, ref dcCb, _output);
            Load(planes.Cr, planes.ChromaWidth, x / 2, y / 2, samples);
            _blocks.Encode(samples, chroma: true, ref dcCr, _output);
        }

        _output.AlignToByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(byte[] plane, int stride, int x, int y, Span<float> samples)
    {
        for (int row = 0; row < 8; row++)
        {
            var line = plane.AsSpan(((y + row) * stride) + x, 8);
            int o = row * 8;
            for (int col = 0; col < 8; col++)
            {
                samples[o + col] = line[col] - 128f;
            }
        }
    }
}
