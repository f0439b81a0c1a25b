using SecureCam.Bench.Mjpeg;
using SecureCam.Bench.Stats;

namespace SecureCam.Bench.Workloads;

/// <summary>
/// One viewer's tally, fed by its parser on the viewer's own read loop (so no locks): frames, bytes,
/// delay from the X-Capture-Time header to the arrival of the part's last byte, and sequence gaps.
/// Counts only while <see cref="Recording"/> is on, so connecting and warm-up are left out.
/// </summary>
internal sealed class ViewerRecorder : IMjpegPartObserver
{
    private readonly Func<bool> _recording;
    private readonly Func<double> _nowUnixMs;
    private long _lastSequence = -1;

    public ViewerRecorder(Func<bool> recording, Func<double> nowUnixMs, int expectedFrames)
    {
        _recording = recording;
        _nowUnixMs = nowUnixMs;
        DelaysMs = new SampleBuffer(expectedFrames);
    }

    public long Frames { get; private set; }

    public long FrameBytes { get; private set; }

    public long Missed { get; private set; }

    public long NotJpeg { get; private set; }

    public long WithoutCaptureTime { get; private set; }

    public SampleBuffer DelaysMs { get; }

    public bool Recording => _recording();

    public void OnPart(in MjpegPart part)
    {
        var gap = part.Sequence >= 0 && _lastSequence >= 0 && part.Sequence > _lastSequence + 1
            ? part.Sequence - _lastSequence - 1
            : 0;
        if (part.Sequence >= 0)
        {
            _lastSequence = part.Sequence;
        }

        if (!_recording())
        {
            return;
        }

        Frames++;
        FrameBytes += part.Length;
        Missed += gap;
        if (!part.StartsWithJpegMarker)
        {
            NotJpeg++;
        }

        if (part.CaptureTimeUnixMs >= 0)
        {
            DelaysMs.Add(_nowUnixMs() - part.CaptureTimeUnixMs);
        }
        else
        {
            WithoutCaptureTime++;
        }
    }
}
