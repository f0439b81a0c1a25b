namespace SecureCam.Camera.Synthetic;

/// <summary>
/// A 5x7 pixel font for the synthetic camera's captions: digits, the punctuation of a date and
/// time, and the capital letters the captions use (others draw as blanks). Drawn by hand so the
/// synthetic camera needs no font files.
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;

    /// <summary>Horizontal advance per character, in font pixels (glyph plus one column of space).</summary>
    public const int Advance = GlyphWidth + 1;

    private static readonly Dictionary<char, byte[]> Glyphs = Build();

    /// <summary>True when font pixel (<paramref name="column"/>, <paramref name="row"/>) of <paramref name="c"/> is set.</summary>
    public static bool IsSet(char c, int column, int row)
    {
        if (!Glyphs.TryGetValue(char.ToUpperInvariant(c), out var rows))
        {
            return false;
        }

        return (rows[row] & (1 << (GlyphWidth - 1 - column))) != 0;
    }

    private static Dictionary<char, byte[]> Build()
    {
        var art = new Dictionary<char, string[]>
        {
            ['0'] = [" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "],
            ['1'] = ["  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
            ['2'] = [" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"],
            ['3'] = ["#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "],
            ['4'] = ["   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "],
            ['5'] = ["#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "],
            ['6'] = ["  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "],
            ['7'] = ["#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "],
            ['8'] = [" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "],
            ['9'] = [" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "],
            [':'] = ["     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "],
            ['-'] = ["     ", "     ", "     ", "#####", "     ", "     ", "     "],
            ['.'] = ["     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "],
            ['/'] = ["    #", "   # ", "   # ", "  #  ", " #   ", " #   ", "#    "],
            ['#'] = [" # # ", " # # ", "#####", " # # ", "#####", " # # ", " # # "],
            ['A'] = [" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"],
            ['B'] = ["#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "],
            ['C'] = [" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "],
            ['D'] = ["#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "],
            ['E'] = ["#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"],
            ['F'] = ["#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "],
            ['G'] = [" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"],
            ['H'] = ["#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"],
            ['I'] = [" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "],
            ['J'] = ["  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "],
            ['K'] = ["#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"],
            ['L'] = ["#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"],
            ['M'] = ["#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"],
            ['N'] = ["#   #", "##  #", "# # #", "#  ##", "#   #", "#   #", "#   #"],
            ['O'] = [" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
            ['P'] = ["#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "],
            ['Q'] = [" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"],
            ['R'] = ["#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"],
            ['S'] = [" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "],
            ['T'] = ["#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "],
            ['U'] = ["#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
            ['V'] = ["#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "],
            ['W'] = ["#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "],
            ['X'] = ["#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"],
            ['Y'] = ["#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "],
            ['Z'] = ["#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"],
        };

        var glyphs = new Dictionary<char, byte[]>();
        foreach (var (c, rows) in art)
        {
            var bits = new byte[GlyphHeight];
            for (int r = 0; r < GlyphHeight; r++)
            {
                for (int col = 0; col < GlyphWidth; col++)
                {
                    if (rows[r][col] == '#')
                    {
                        bits[r] |= (byte)(1 << (GlyphWidth - 1 - col));
                    }
                }
            }

            glyphs[c] = bits;
        }

        return glyphs;
    }
}
