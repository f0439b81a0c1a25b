namespace SecureCam.Camera;

/// <summary>What the status page shows about the camera.</summary>
public sealed record FrameHubStatus
{
    /// <summary>"synthetic", "pipe" or "v4l2".</summary>
    public required string SourceKind { get; init; }

    public required string SourceDescription { get; init; }

    /// <summary>True while the source runs (someone watches, or a snapshot was asked for within the grace period).</summary>
    public required bool IsCapturing { get; init; }

    /// <summary>Size of the newest frame; 0 before the first.</summary>
    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>Frames per second over the last two seconds.</summary>
    public required double CapturedFps { get; init; }

    public required long FramesCaptured { get; init; }

    /// <summary>Broken frames (truncated, oversize, not a JPEG) that were dropped and never served.</summary>
    public required long FramesSkipped { get; init; }

    /// <summary>Bytes that belonged to no frame (garbage between frames).</summary>
    public required long BytesDiscarded { get; init; }

    /// <summary>Times the source failed and was started again (command exited, device unplugged).</summary>
    public required long Restarts { get; init; }

    public required string? LastError { get; init; }

    public required DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Viewer leases held right now.</summary>
    public required int Viewers { get; init; }

    /// <summary>Sequence of the newest frame; 0 before the first.</summary>
    public required long LastSequence { get; init; }

    public required DateTimeOffset? LastFrameAt { get; init; }

    public required int LastFrameBytes { get; init; }
}
