namespace SecureCam.Camera.Pipe;

/// <summary>Limits of the pipe source: the largest frame, the longest restart wait, and the stall timeout.</summary>
public sealed record PipeFrameSourceSettings(int MaxFrameBytes, TimeSpan MaxBackoff, TimeSpan StallTimeout)
{
    /// <summary>The first wait before restarting a command that exited; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public static PipeFrameSourceSettings From(CameraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PipeFrameSourceSettings(
            options.MaxFrameBytes,
            TimeSpan.FromSeconds(options.RestartBackoffMaxSeconds),
            TimeSpan.FromSeconds(options.StallTimeoutSeconds));
    }
}
