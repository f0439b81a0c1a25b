using SecureCam.Bench.Mjpeg;

namespace SecureCam.Bench.Tests;

/// <summary>Keeps every part the parser reports, for assertions.</summary>
internal sealed class RecordingObserver : IMjpegPartObserver
{
    public List<MjpegPart> Parts { get; } = [];

    public void OnPart(in MjpegPart part) => Parts.Add(part);
}
