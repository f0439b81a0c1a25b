using SecureCam.Camera.Jpeg;

namespace SecureCam.Camera.Synthetic;

/// <summary>
/// The still part of the synthetic picture: colour bars with a brightness gradient and a fine
/// texture on top; a zone plate, a grey ramp with a fine checkerboard, and coloured noise below.
/// The detail is deliberate: it gives the picture the size of a real camera frame (110–120 KB
/// at 720p, quality 75), so the viewer benchmarks move realistic amounts of data.
/// </summary>
internal static class SyntheticBackground
{
    private static readonly (double R, double G, double B)[] Bars =
    [
        (191, 191, 191), (191, 191, 0), (0, 191, 191), (0, 191, 0),
        (191, 0, 191), (191, 0, 0), (0, 0, 191), (24, 24, 24),
    ];

    public static YCbCrPlanes Paint(int width, int height)
    {
        var planes = new YCbCrPlanes(width, height);
        int pw = planes.PaddedWidth, ph = planes.PaddedHeight;

        // Chroma of two luma rows at full resolution, averaged 2x2 into the 4:2:0 planes.
        var cb = new double[2, pw];
        var cr = new double[2, pw];
        var noise = new NoiseGenerator(0x5EC0CA11);
        int barsBottom = (int)(height * 0.58);
        double zoneRadius = Math.Max(1, Math.Min(width / 3, height - barsBottom) / 2.0);
        double zoneK = Math.PI * 0.5 / zoneRadius;

        for (int y = 0; y < ph; y++)
        {
            int sy = Math.Min(y, height - 1);
            for (int x = 0; x < pw; x++)
            {
                int sx = Math.Min(x, width - 1);
                var (r, g, b) = sy < barsBottom
                    ? BarPixel(sx, sy, width, barsBottom)
                    : LowerPixel(sx, sy - barsBottom, width, height - barsBottom, zoneK, ref noise);
                var c = YCbCrColor.FromRgb(Math.Clamp(r, 0, 255), Math.Clamp(g, 0, 255), Math.Clamp(b, 0, 255));
                planes.Y[(y * pw) + x] = c.Y;
                cb[y & 1, x] = c.Cb;
                cr[y & 1, x] = c.Cr;
            }

            if ((y & 1) == 1)
            {
                int row = (y / 2) * planes.ChromaWidth;
                for (int cx = 0; cx < planes.ChromaWidth; cx++)
                {
                    int x0 = 2 * cx, x1 = x0 + 1;
                    planes.Cb[row + cx] = (byte)Math.Round((cb[0, x0] + cb[0, x1] + cb[1, x0] + cb[1, x1]) / 4);
                    planes.Cr[row + cx] = (byte)Math.Round((cr[0, x0] + cr[0, x1] + cr[1, x0] + cr[1, x1]) / 4);
                }
            }
        }

        return planes;
    }

    private static (double R, double G, double B) BarPixel(int x, int y, int width, int bandHeight)
    {
        var bar = Bars[Math.Min(Bars.Length - 1, x * Bars.Length / width)];
        double shade = 1.0 - (0.45 * y / bandHeight);
        double texture = 3 * Math.Sin((x + y) * 0.35);
        return ((bar.R * shade) + texture, (bar.G * shade) + texture, (bar.B * shade) + texture);
    }

    private static (double R, double G, double B) LowerPixel(int x, int y, int width, int bandHeight, double zoneK, ref NoiseGenerator noise)
    {
        int third = width / 3;
        if (x < third)
        {
            // Zone plate: concentric rings whose frequency rises with the radius.
            double dx = x - (third / 2.0), dy = y - (bandHeight / 2.0);
            double v = 128 + (110 * Math.Cos(zoneK * ((dx * dx) + (dy * dy)) / 2));
            return (v, v, v);
        }

        if (x < 2 * third)
        {
            // Grey ramp in eight steps over the top half, fine checkerboard over the bottom half.
            int local = x - third;
            if (y < bandHeight / 2)
            {
                double step = Math.Floor(local * 8.0 / third) * 255 / 7;
                return (step, step, step);
            }

            double check = ((x / 4) + (y / 4)) % 2 == 0 ? 190 : 65;
            return (check, check, check);
        }

        // Coloured noise over a hue gradient.
        double t = (x - (2.0 * third)) / Math.Max(1, width - (2 * third));
        double n = noise.Next() - 0.5;
        return ((255 * t) + (10 * n), 128 + (10 * n), (255 * (1 - t)) + (10 * n));
    }
}

/// <summary>xorshift32: a fixed seed gives the same texture every run, so frame sizes are reproducible.</summary>
internal struct NoiseGenerator
{
    private uint _state;

    public NoiseGenerator(uint seed) => _state = seed == 0 ? 1u : seed;

    /// <summary>A value in [0, 1).</summary>
    public double Next()
    {
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        return _state / 4294967296.0;
    }
}
