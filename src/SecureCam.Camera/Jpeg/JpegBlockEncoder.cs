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
