namespace SecureCam.Camera;

/// <summary>
/// One captured JPEG picture as the hub hands it out. Immutable and shared: every viewer gets the
/// same instance and the same bytes, so a frame is never copied per viewer.
/// </summary>
public sealed class Frame
{
    public Frame(long sequence, DateTimeOffset capturedAt, ReadOnlyMemory<byte> jpeg, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequence);
        Sequence = sequence;
        CapturedAt = capturedAt;
        Jpeg = jpeg;
        Width = width;
        Height = height;
    }

    /// <summary>1, 2, 3, … per hub; a viewer asks for the newest frame after the last sequence it was sent.</summary>
    public long Sequence { get; }

    /// <summary>When the source produced the picture (UTC).</summary>
    public DateTimeOffset CapturedAt { get; }

    /// <summary>A complete JPEG file (FFD8 … FFD9).</summary>
    public ReadOnlyMemory<byte> Jpeg { get; }

    public int Width { get; }

    public int Height { get; }
}
