namespace SecureCam.Camera.Synthetic;

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
