using SecureCam.Camera.Jpeg;

namespace SecureCam.Camera.Synthetic;

/// <summary>Draws filled rectangles and text straight into YCbCr 4:2:0 planes.</summary>
internal static class PlanePainter
{
    public static void FillRect(YCbCrPlanes planes, PixelRect rect, YCbCrColor color)
    {
        var r = rect.ClipTo(planes.Width, planes.Height);
        if (r.IsEmpty)
        {
            return;
        }

        for (int y = r.Y; y < r.Bottom; y++)
        {
            planes.Y.AsSpan((y * planes.PaddedWidth) + r.X, r.Width).Fill(color.Y);
        }

        // A chroma sample covers 2x2 luma pixels; round outwards so edges keep their colour.
        int cx0 = r.X / 2, cx1 = (r.Right + 1) / 2;
        for (int cy = r.Y / 2; cy < (r.Bottom + 1) / 2; cy++)
        {
            planes.Cb.AsSpan((cy * planes.ChromaWidth) + cx0, cx1 - cx0).Fill(color.Cb);
            planes.Cr.AsSpan((cy * planes.ChromaWidth) + cx0, cx1 - cx0).Fill(color.Cr);
        }
    }

    /// <summary>Size in pixels of <paramref name="text"/> at <paramref name="scale"/>.</summary>
    public static (int Width, int Height) MeasureText(string text, int scale) =>
        ((text.Length * BitmapFont.Advance * scale) - scale, BitmapFont.GlyphHeight * scale);

    /// <summary>Draws grey-level text (luma only, so it reads on any chroma) with its top-left at (x, y).</summary>
    public static void DrawText(YCbCrPlanes planes, string text, int x, int y, int scale, byte luma)
    {
        for (int i = 0; i < text.Length; i++)
        {
            int gx = x + (i * BitmapFont.Advance * scale);
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                {
                    if (!BitmapFont.IsSet(text[i], col, row))
                    {
                        continue;
                    }

                    var dot = new PixelRect(gx + (col * scale), y + (row * scale), scale, scale).ClipTo(planes.Width, planes.Height);
                    for (int py = dot.Y; py < dot.Bottom; py++)
                    {
                        planes.Y.AsSpan((py * planes.PaddedWidth) + dot.X, dot.Width).Fill(luma);
                    }
                }
            }
        }
    }
}

/// <summary>A colour in JFIF YCbCr (full range), converted from RGB with the JFIF equations.</summary>
internal readonly record struct YCbCrColor(byte Y, byte Cb, byte Cr)
{
    public static readonly YCbCrColor White = FromRgb(255, 255, 255);
    public static readonly YCbCrColor Black = FromRgb(0, 0, 0);

    public static YCbCrColor FromRgb(double r, double g, double b) => new(
        Clamp((0.299 * r) + (0.587 * g) + (0.114 * b)),
        Clamp(128 - (0.168736 * r) - (0.331264 * g) + (0.5 * b)),
        Clamp(128 + (0.5 * r) - (0.418688 * g) - (0.081312 * b)));

    /// <summary>Fully saturated colour of hue <paramref name="degrees"/> (HSV with S = V = 1).</summary>
    public static YCbCrColor FromHue(double degrees)
    {
        var h = ((degrees % 360) + 360) % 360 / 60.0;
        var x = 255 * (1 - Math.Abs((h % 2) - 1));
        return (int)h switch
        {
            0 => FromRgb(255, x, 0),
            1 => FromRgb(x, 255, 0),
            2 => FromRgb(0, 255, x),
            3 => FromRgb(0, x, 255),
            4 => FromRgb(x, 0, 255),
            _ => FromRgb(255, 0, x),
        };
    }

    private static byte Clamp(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);
}

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
