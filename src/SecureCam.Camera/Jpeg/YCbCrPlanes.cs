namespace SecureCam.Camera.Jpeg;

/// <summary>
/// A picture as full-resolution luma and half-resolution (4:2:0) chroma planes, padded to whole
/// 16x16 macroblocks so the encoder never reads past an edge. The declared size is Width x Height;
/// the padding is encoded but cropped by every decoder.
/// </summary>
internal sealed class YCbCrPlanes
{
    public YCbCrPlanes(int width, int height)
    {
        Width = width;
        Height = height;
        PaddedWidth = (width + 15) & ~15;
        PaddedHeight = (height + 15) & ~15;
        Y = new byte[PaddedWidth * PaddedHeight];
        Cb = new byte[ChromaWidth * ChromaHeight];
        Cr = new byte[ChromaWidth * ChromaHeight];
    }

    public int Width { get; }

    public int Height { get; }

    public int PaddedWidth { get; }

    public int PaddedHeight { get; }

    public int ChromaWidth => PaddedWidth / 2;

    public int ChromaHeight => PaddedHeight / 2;

    public byte[] Y { get; }

    public byte[] Cb { get; }

    public byte[] Cr { get; }

    /// <summary>Copies the macroblock-aligned rectangle covering <paramref name="area"/> from <paramref name="source"/>.</summary>
    public void CopyAreaFrom(YCbCrPlanes source, PixelRect area)
    {
        var a = area.AlignToMacroblocks(PaddedWidth, PaddedHeight);
        if (a.IsEmpty)
        {
            return;
        }

        for (int y = a.Y; y < a.Bottom; y++)
        {
            source.Y.AsSpan((y * PaddedWidth) + a.X, a.Width).CopyTo(Y.AsSpan((y * PaddedWidth) + a.X));
        }

        int cx = a.X / 2, cw = a.Width / 2;
        for (int y = a.Y / 2; y < a.Bottom / 2; y++)
        {
            source.Cb.AsSpan((y * ChromaWidth) + cx, cw).CopyTo(Cb.AsSpan((y * ChromaWidth) + cx));
            source.Cr.AsSpan((y * ChromaWidth) + cx, cw).CopyTo(Cr.AsSpan((y * ChromaWidth) + cx));
        }
    }

    public YCbCrPlanes Clone()
    {
        var copy = new YCbCrPlanes(Width, Height);
        Y.CopyTo(copy.Y, 0);
        Cb.CopyTo(copy.Cb, 0);
        Cr.CopyTo(copy.Cr, 0);
        return copy;
    }
}

/// <summary>An axis-aligned pixel rectangle (X, Y inclusive; Right, Bottom exclusive).</summary>
internal readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;

    public int Bottom => Y + Height;

    public bool IsEmpty => Width <= 0 || Height <= 0;

    public PixelRect ClipTo(int width, int height)
    {
        int x0 = Math.Clamp(X, 0, width), y0 = Math.Clamp(Y, 0, height);
        int x1 = Math.Clamp(Right, 0, width), y1 = Math.Clamp(Bottom, 0, height);
        return new PixelRect(x0, y0, Math.Max(0, x1 - x0), Math.Max(0, y1 - y0));
    }

    /// <summary>The smallest rectangle of whole 16x16 macroblocks that covers this one, clipped.</summary>
    public PixelRect AlignToMacroblocks(int width, int height)
    {
        var c = ClipTo(width, height);
        if (c.IsEmpty)
        {
            return default;
        }

        int x0 = c.X & ~15, y0 = c.Y & ~15;
        int x1 = Math.Min((c.Right + 15) & ~15, width), y1 = Math.Min((c.Bottom + 15) & ~15, height);
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }
}
