namespace SecureCam.Camera.Jpeg;

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
