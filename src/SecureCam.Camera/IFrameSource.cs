namespace SecureCam.Camera;

/// <summary>
/// One capture device (the synthetic pattern, a command writing MJPEG, a V4L2 camera).
/// <see cref="RunAsync"/> captures until cancelled, recovering from failures by itself (restart
/// with backoff, reported through <see cref="IFrameSink.OnRestart"/>): the source owns restarts, the
/// hub only starts it when someone watches and cancels it when nobody does.
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
    /// that can never work (for example a library that is not installed); the hub then stops capture
    /// and does not retry it until the next viewer or snapshot.
    /// </summary>
    Task RunAsync(IFrameSink sink, CancellationToken cancellationToken);
}


/// <summary>The source gave up (<see cref="IFrameSource.RunAsync"/> threw or returned by itself): no frame is coming until capture starts again.</summary>
public sealed class FrameSourceFailedException : Exception
{
    public FrameSourceFailedException()
        : base("The camera source gave up.")
    {
    }

    public FrameSourceFailedException(string message)
        : base(message)
    {
    }

    public FrameSourceFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
