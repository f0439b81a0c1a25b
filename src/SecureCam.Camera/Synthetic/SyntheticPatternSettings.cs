namespace SecureCam.Camera.Synthetic;

/// <summary>Size, rate and JPEG quality of the synthetic camera.</summary>
public sealed record SyntheticPatternSettings(int Width = 1280, int Height = 720, int Fps = 30, int Quality = 75)
{
    internal void Validate()
    {
        // Even sizes keep the 4:2:0 chroma grid aligned with the picture; 16 is one macroblock.
        if (Width is < 16 or > 8192 || Height is < 16 or > 8192 || Width % 2 != 0 || Height % 2 != 0)
        {
            throw new ArgumentException($"Camera:Width/Height {Width}x{Height}: the synthetic camera needs even sizes from 16 to 8192.");
        }

        if (Fps is < 1 or > 240)
        {
            throw new ArgumentException($"Camera:Fps {Fps} is out of range (1..240).");
        }

        if (Quality is < 1 or > 100)
        {
            throw new ArgumentException($"Camera:Quality {Quality} is out of range (1..100).");
        }
    }
}
