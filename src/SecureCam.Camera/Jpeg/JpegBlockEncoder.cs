using System.Numerics;
using System.Runtime.CompilerServices;

namespace SecureCam.Camera.Jpeg;

/// <summary>
/// Quantises one DCT block and writes it with the standard Huffman tables (T.81 F.1.2): DC as a
/// difference from the previous block of the same component, AC as run/size symbols with ZRL and EOB.
/// </summary>
internal sealed class JpegBlockEncoder
{
    private readonly float[] _lumaReciprocals;
    private readonly float[] _chromaReciprocals;
    private readonly HuffmanEncodingTable _dcLuma = new(JpegStandardTables.DcLuminanceBits, JpegStandardTables.DcLuminanceValues);
    private readonly HuffmanEncodingTable _acLuma = new(JpegStandardTables.AcLuminanceBits, JpegStandardTables.AcLuminanceValues);
    private readonly HuffmanEncodingTable _dcChroma = new(JpegStandardTables.DcChrominanceBits, JpegStandardTables.DcChrominanceValues);
    private readonly HuffmanEncodingTable _acChroma = new(JpegStandardTables.AcChrominanceBits, JpegStandardTables.AcChrominanceValues);
    private readonly byte[] _zigZag = JpegStandardTables.ZigZagToNatural.ToArray();

    public JpegBlockEncoder(int quality)
    {
        LumaTable = ScaleTable(JpegStandardTables.LuminanceQuantization, quality);
        ChromaTable = ScaleTable(JpegStandardTables.ChrominanceQuantization, quality);
        _lumaReciprocals = Reciprocals(LumaTable);
        _chromaReciprocals = Reciprocals(ChromaTable);
    }

    /// <summary>The luminance quantisation table in natural order, as written to DQT.</summary>
    public byte[] LumaTable { get; }

    public byte[] ChromaTable { get; }

    /// <summary>Transforms, quantises and writes one block of level-shifted samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Encode(Span<float> samples, bool chroma, ref int dcPredictor, JpegOutputBuffer output)
    {
        ForwardDct.Transform(samples);
        var reciprocals = chroma ? _chromaReciprocals : _lumaReciprocals;
        var dcTable = chroma ? _dcChroma : _dcLuma;
        var acTable = chroma ? _acChroma : _acLuma;

        int dc = (int)MathF.Round(samples[0] * reciprocals[0]);
        int diff = dc - dcPredictor;
        dcPredictor = dc;
        int size = BitSize(diff);
        output.WriteBits(dcTable.Code(size), dcTable.Length(size));
        if (size > 0)
        {
            output.WriteBits(diff < 0 ? diff - 1 : diff, size);
        }

        int run = 0;
        for (int k = 1; k < 64; k++)
        {
            int n = _zigZag[k];
            int value = (int)MathF.Round(samples[n] * reciprocals[n]);
            if (value == 0)
            {
                run++;
                continue;
            }

            while (run > 15)
            {
                output.WriteBits(acTable.Code(0xF0), acTable.Length(0xF0));
                run -= 16;
            }

            size = BitSize(value);
            int symbol = (run << 4) | size;
            output.WriteBits(acTable.Code(symbol), acTable.Length(symbol));
            output.WriteBits(value < 0 ? value - 1 : value, size);
            run = 0;
        }

        if (run > 0)
        {
            output.WriteBits(acTable.Code(0x00), acTable.Length(0x00));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BitSize(int value) => 32 - BitOperations.LeadingZeroCount((uint)Math.Abs(value));

    /// <summary>Scales a base table by the usual quality curve (50 = the table as given, 100 = all ones).</summary>
    private static byte[] ScaleTable(ReadOnlySpan<byte> baseTable, int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        int scale = quality < 50 ? 5000 / quality : 200 - (quality * 2);
        var table = new byte[64];
        for (int i = 0; i < 64; i++)
        {
            table[i] = (byte)Math.Clamp(((baseTable[i] * scale) + 50) / 100, 1, 255);
        }

        return table;
    }

    /// <summary>1 / (q · 8 · aan[row] · aan[col]): undoes the AAN output scaling and quantises in one multiply.</summary>
    private static float[] Reciprocals(byte[] table)
    {
        var aan = ForwardDct.AanScale;
        var result = new float[64];
        for (int row = 0; row < 8; row++)
        {
            for (int col = 0; col < 8; col++)
            {
                int i = (row * 8) + col;
                result[i] = (float)(1.0 / (table[i] * aan[row] * aan[col] * 8.0));
            }
        }

        return result;
    }
}

/// <summary>
/// The Arai–Agui–Nakajima fast 8x8 forward DCT in floating point. Its outputs carry a scale per
/// row and column (<see cref="AanScale"/>) that the quantiser folds into its divisors, which is
/// what makes it fast: 5 multiplications per 8 samples.
/// </summary>
internal static class ForwardDct
{
    /// <summary>AAN output scale for index k: cos(k·π/16)·√2 for k &gt; 0, 1 for k = 0.</summary>
    public static ReadOnlySpan<double> AanScale => [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.541196100, 0.275899379];

    /// <summary>Transforms 64 level-shifted samples (row-major) in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transform(Span<float> block)
    {
        for (int row = 0; row < 64; row += 8)
        {
            Pass(block, row, 1);
        }

        for (int column = 0; column < 8; column++)
        {
            Pass(block, column, 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass(Span<float> d, int start, int stride)
    {
        int i0 = start, i1 = start + stride, i2 = start + (2 * stride), i3 = start + (3 * stride);
        int i4 = start + (4 * stride), i5 = start + (5 * stride), i6 = start + (6 * stride), i7 = start + (7 * stride);

        float tmp0 = d[i0] + d[i7];
        float tmp7 = d[i0] - d[i7];
        float tmp1 = d[i1] + d[i6];
        float tmp6 = d[i1] - d[i6];
        float tmp2 = d[i2] + d[i5];
        float tmp5 = d[i2] - d[i5];
        float tmp3 = d[i3] + d[i4];
        float tmp4 = d[i3] - d[i4];

        // Even part.
        float tmp10 = tmp0 + tmp3;
        float tmp13 = tmp0 - tmp3;
        float tmp11 = tmp1 + tmp2;
        float tmp12 = tmp1 - tmp2;
        d[i0] = tmp10 + tmp11;
        d[i4] = tmp10 - tmp11;
        float z1 = (tmp12 + tmp13) * 0.707106781f;
        d[i2] = tmp13 + z1;
        d[i6] = tmp13 - z1;

        // Odd part.
        tmp10 = tmp4 + tmp5;
        tmp11 = tmp5 + tmp6;
        tmp12 = tmp6 + tmp7;
        float z5 = (tmp10 - tmp12) * 0.382683433f;
        float z2 = (0.541196100f * tmp10) + z5;
        float z4 = (1.306562965f * tmp12) + z5;
        float z3 = tmp11 * 0.707106781f;
        float z11 = tmp7 + z3;
        float z13 = tmp7 - z3;
        d[i5] = z13 + z2;
        d[i3] = z13 - z2;
        d[i1] = z11 + z4;
        d[i7] = z11 - z4;
    }
}
