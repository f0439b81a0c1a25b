using System.Globalization;
using SecureCam.Camera.Jpeg;

namespace SecureCam.Camera.Synthetic;

/// <summary>
/// Renders the synthetic picture frame by frame: the still background (encoded once, interval by
/// interval), a bouncing box whose colour changes every frame, and a caption with the frame number
/// and the wall-clock time. Only restart intervals under the box and the caption are encoded again;
/// every other interval's bytes are reused from the background, which keeps 720p30 cheap.
/// </summary>
internal sealed class SyntheticFrameGenerator
{
    // Four macroblocks (64x16 pixels) per restart interval: small enough that the moving parts
    // touch few pixels they do not need, large enough that RST markers cost under 2 % of a frame.
    private const int RestartIntervalMcus = 4;

    private readonly SyntheticPatternSettings _settings;
    private readonly RestartIntervalJpegEncoder _encoder;
    private readonly YCbCrPlanes _background;
    private readonly YCbCrPlanes _canvas;
    private readonly byte[][] _backgroundIntervals;
    private readonly bool[] _dirty;
    private readonly List<PixelRect> _drawn = [];
    private readonly int _scale;
    private readonly int _boxSize;

    public SyntheticFrameGenerator(SyntheticPatternSettings settings)
    {
        settings.Validate();
        _settings = settings;
        _scale = Math.Max(1, settings.Height / 240);
        _boxSize = Math.Max(16, (int)(settings.Height / 7.5) & ~1);
        _encoder = new RestartIntervalJpegEncoder(settings.Width, settings.Height, settings.Quality, RestartIntervalMcus);
        _background = SyntheticBackground.Paint(settings.Width, settings.Height);
        DrawStaticLabel(_background);
        _backgroundIntervals = _encoder.EncodeAllIntervals(_background);
        _canvas = _background.Clone();
        _dirty = new bool[_encoder.IntervalCount];
    }

    public int Width => _settings.Width;

    public int Height => _settings.Height;

    /// <summary>A complete JPEG for frame number <paramref name="frameNumber"/> showing <paramref name="now"/>.</summary>
    public byte[] Render(long frameNumber, DateTimeOffset now)
    {
        // Put back the background wherever the last frame drew; those intervals are clean again.
        foreach (var area in _drawn)
        {
            _canvas.CopyAreaFrom(_background, area);
        }

        _drawn.Clear();
        Array.Clear(_dirty);

        DrawBox(frameNumber);
        DrawCaption(frameNumber, now);

        foreach (var area in _drawn)
        {
            _encoder.MarkDirty(area, _dirty);
        }

        return _encoder.Encode(_canvas, _dirty, _backgroundIntervals);
    }

    private void DrawBox(long frameNumber)
    {
        // Bounces off the edges at different speeds on each axis, so its path does not repeat soon.
        int x = Bounce(frameNumber * Math.Max(2, Width / 160), Width - _boxSize);
        int y = Bounce(frameNumber * Math.Max(2, Height / 160), Height - _boxSize);
        var outer = new PixelRect(x & ~1, y & ~1, _boxSize, _boxSize);
        int border = Math.Max(2, _boxSize / 16) & ~1;
        PlanePainter.FillRect(_canvas, outer, YCbCrColor.White);
        PlanePainter.FillRect(_canvas, new PixelRect(outer.X + border, outer.Y + border, _boxSize - (2 * border), _boxSize - (2 * border)), YCbCrColor.FromHue(frameNumber * 7));
        _drawn.Add(outer);
    }

    private void DrawCaption(long frameNumber, DateTimeOffset now)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"FRAME {frameNumber % 1_000_000:000000}  {now.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        var (w, h) = PlanePainter.MeasureText(text, _scale);
        int pad = 2 * _scale;

        // Aligned to macroblocks so the caption dirties as few restart intervals as possible.
        var box = new PixelRect(16, 16, w + (2 * pad), h + (2 * pad)).AlignToMacroblocks(Width & ~15, Height & ~15);
        PlanePainter.FillRect(_canvas, box, YCbCrColor.Black);
        PlanePainter.DrawText(_canvas, text, box.X + pad, box.Y + pad, _scale, 235);
        _drawn.Add(box);
    }

    private void DrawStaticLabel(YCbCrPlanes planes)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"SECURECAM SYNTHETIC CAMERA  {Width}X{Height}  {_settings.Fps} FPS");
        var (w, h) = PlanePainter.MeasureText(text, _scale);
        int pad = 2 * _scale;
        var box = new PixelRect(16, Height - h - (2 * pad) - 16, w + (2 * pad), h + (2 * pad));
        PlanePainter.FillRect(planes, box, YCbCrColor.Black);
        PlanePainter.DrawText(planes, text, box.X + pad, box.Y + pad, _scale, 235);
    }

    private static int Bounce(long travelled, int range)
    {
        if (range <= 0)
        {
            return 0;
        }

        long phase = travelled % (2L * range);
        return (int)(phase <= range ? phase : (2L * range) - phase);
    }
}
