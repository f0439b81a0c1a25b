using System.Globalization;

namespace SecureCam.Camera;

/// <summary>
/// The `Camera` configuration section (appsettings.json, SECURECAM__CAMERA__KEY, --camera).
/// Validated once at start: a bad value stops the program with one line naming the key.
/// </summary>
public sealed class CameraOptions
{
    public const string SectionName = "Camera";

    /// <summary>"synthetic" (default), "pipe:CMD" or "v4l2:/dev/videoN".</summary>
    public string Source { get; set; } = "synthetic";

    /// <summary>Requested width; the synthetic source uses it exactly, a camera may pick the nearest it has.</summary>
    public int Width { get; set; } = 1280;

    /// <summary>Requested height: 1280x720 is a mode nearly every USB webcam and the Pi camera offer, sharp on a phone.</summary>
    public int Height { get; set; } = 720;

    /// <summary>Frames per second asked of the source: 30 is what cameras deliver at 720p and looks fluid.</summary>
    public int Fps { get; set; } = 30;

    /// <summary>JPEG quality 1–100 where we encode ourselves (synthetic, YUYV cameras). 75 keeps a 720p synthetic frame near 115 KB.</summary>
    public int Quality { get; set; } = 75;

    /// <summary>How long capture keeps running after the last viewer left or the last snapshot was asked for.
    /// Ten seconds lets a page reload or a burst of snapshots reuse a warm camera instead of reopening it.</summary>
    public double IdleGraceSeconds { get; set; } = 10;

    /// <summary>A snapshot returns the newest frame when it is at most this old, else waits for the next one.</summary>
    public double SnapshotFreshSeconds { get; set; } = 1;

    /// <summary>Frames larger than this are skipped as broken. 8 MiB is far above any 4K MJPEG frame.</summary>
    public int MaxFrameBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The longest wait between restarts of a failing command or an unplugged device.</summary>
    public double RestartBackoffMaxSeconds { get; set; } = 10;

    /// <summary>A pipe command or device that delivers nothing for this long is restarted.</summary>
    public double StallTimeoutSeconds { get; set; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line message naming the bad key.</summary>
    public void Validate()
    {
        _ = FrameSourceSpec.Parse(Source);
        Require(Width is >= 16 and <= 8192, nameof(Width), Width, "16..8192");
        Require(Height is >= 16 and <= 8192, nameof(Height), Height, "16..8192");
        Require(Fps is >= 1 and <= 240, nameof(Fps), Fps, "1..240");
        Require(Quality is >= 1 and <= 100, nameof(Quality), Quality, "1..100");
        Require(IdleGraceSeconds is >= 0 and <= 3600, nameof(IdleGraceSeconds), IdleGraceSeconds, "0..3600");
        Require(SnapshotFreshSeconds is > 0 and <= 3600, nameof(SnapshotFreshSeconds), SnapshotFreshSeconds, "0..3600 (above 0)");
        Require(MaxFrameBytes is >= 1024 and <= 256 * 1024 * 1024, nameof(MaxFrameBytes), MaxFrameBytes, "1024..268435456");
        Require(RestartBackoffMaxSeconds is >= 0.1 and <= 3600, nameof(RestartBackoffMaxSeconds), RestartBackoffMaxSeconds, "0.1..3600");
        Require(StallTimeoutSeconds is >= 1 and <= 3600, nameof(StallTimeoutSeconds), StallTimeoutSeconds, "1..3600");
    }

    /// <summary>The hub's part of these settings.</summary>
    public FrameHubOptions CreateHubOptions() => new()
    {
        IdleGracePeriod = TimeSpan.FromSeconds(IdleGraceSeconds),
        SnapshotFreshness = TimeSpan.FromSeconds(SnapshotFreshSeconds),
    };

    private static void Require(bool ok, string key, IFormattable value, string range)
    {
        if (!ok)
        {
            throw new ArgumentException(
                $"{SectionName}:{key} = {value.ToString(null, CultureInfo.InvariantCulture)} is out of range (allowed {range}).");
        }
    }
}
