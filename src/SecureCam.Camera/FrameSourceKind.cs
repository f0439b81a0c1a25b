namespace SecureCam.Camera;

/// <summary>The kinds of source `--camera` can name.</summary>
public enum FrameSourceKind
{
    Synthetic,
    Pipe,
    V4l2,
}
