namespace SecureCam.Camera.Synthetic;

/// <summary>
/// The built-in camera: a moving test pattern with the frame number and the wall-clock time, so a
/// viewer sees liveness and delay at a glance. Needs nothing but .NET.
/// </summary>
public sealed class SyntheticFrameSource : IFrameSource
{
    private readonly SyntheticPatternSettings _settings;
    private readonly TimeProvider _time;

    public SyntheticFrameSource(SyntheticPatternSettings settings, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _time = time ?? TimeProvider.System;
    }

    public string Kind => "synthetic";

    public string Description => $"synthetic {_settings.Width}x{_settings.Height} at {_settings.Fps} fps";

    public async Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var generator = new SyntheticFrameGenerator(_settings);
        var period = TimeSpan.FromSeconds(1.0 / _settings.Fps);
        long frameNumber = 0;
        long due = _time.GetTimestamp();
        long periodTicks = (long)(period.TotalSeconds * _time.TimestampFrequency);

        while (!cancellationToken.IsCancellationRequested)
        {
            frameNumber++;
            var capturedAt = _time.GetUtcNow();
            sink.OnFrame(generator.Render(frameNumber, capturedAt), generator.Width, generator.Height, capturedAt);

            // Frames are due on a fixed grid; when the machine falls behind by more than a frame,
            // skip ahead instead of bursting to catch up.
            due += periodTicks;
            var now = _time.GetTimestamp();
            if (now - due > periodTicks)
            {
                due = now;
            }

            var wait = _time.GetElapsedTime(now, due);
            if (due > now && wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
