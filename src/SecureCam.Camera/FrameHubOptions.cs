namespace SecureCam.Camera;

/// <summary>How long the hub keeps capturing without demand, and what a fresh snapshot is.</summary>
public sealed class FrameHubOptions
{
    /// <summary>Capture stops this long after the last viewer left and the last snapshot was asked for.</summary>
    public TimeSpan IdleGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A snapshot returns the newest frame when it is at most this old, else waits for the next.</summary>
    public TimeSpan SnapshotFreshness { get; init; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (IdleGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException("Camera:IdleGraceSeconds must not be negative.");
        }

        if (SnapshotFreshness <= TimeSpan.Zero)
        {
            throw new ArgumentException("Camera:SnapshotFreshSeconds must be above 0.");
        }
    }
}
