namespace SecureCam.Camera.V4l2;

/// <summary>What to ask a V4L2 camera for, and how to recover when it fails.</summary>
public sealed record V4l2CaptureSettings(int Width, int Height, int Fps, int Quality, int MaxFrameBytes, TimeSpan MaxBackoff, TimeSpan StallTimeout)
{
    /// <summary>Four buffers: one being filled, one being read, two spare, so the driver never starves at 30 fps.</summary>
    public uint BufferCount { get; init; } = 4;

    public static V4l2CaptureSettings From(CameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new V4l2CaptureSettings(
            options.Width,
            options.Height,
            options.Fps,
            options.Quality,
            options.MaxFrameBytes,
            TimeSpan.FromSeconds(options.RestartBackoffMaxSeconds),
            TimeSpan.FromSeconds(options.StallTimeoutSeconds));
    }
}
