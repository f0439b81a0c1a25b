namespace SecureCam.Camera.Jpeg;

/// <summary>Code and length per symbol, derived from BITS/HUFFVAL as in T.81 Annex C.</summary>
internal sealed class HuffmanEncodingTable
{
    private readonly ushort[] _codes = new ushort[256];
    private readonly byte[] _lengths = new byte[256];

    public HuffmanEncodingTable(ReadOnlySpan<byte> bits, ReadOnlySpan<byte> values)
    {
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < bits[length - 1]; i++)
            {
                var symbol = values[k++];
                _codes[symbol] = (ushort)code;
                _lengths[symbol] = (byte)length;
                code++;
            }

            code <<= 1;
        }

        if (k != values.Length)
        {
            throw new ArgumentException("Huffman BITS do not add up to the number of values.");
        }
    }

    public int Code(int symbol) => _codes[symbol];

    public int Length(int symbol) => _lengths[symbol];
}
