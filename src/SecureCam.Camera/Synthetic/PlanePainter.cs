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
