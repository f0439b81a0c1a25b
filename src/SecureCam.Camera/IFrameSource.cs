namespace SecureCam.Camera;

/// <summary>
/// One capture device (the synthetic pattern, a command writing MJPEG, a V4L2 camera).
/// <see cref="RunAsync"/> captures until cancelled, recovering from failures by itself (restart
/// with backoff); the hub starts it when someone watches and cancels it when nobody does.
/// </summary>
public interface IFrameSource
{
    /// <summary>"synthetic", "pipe" or "v4l2".</summary>
    string Kind { get; }

    /// <summary>Human-readable description for status and logs (the command, the device path…).</summary>
    string Description { get; }

    /// <summary>
    /// Captures frames into <paramref name="sink"/> until <paramref name="cancellationToken"/> is
    /// cancelled, then releases everything it opened and returns. Only throws for a configuration
    /// that can never work (for example a library that is not installed).
    /// </summary>
    Task RunAsync(IFrameSink sink, CancellationToken cancellationToken);
}
