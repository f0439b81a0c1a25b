using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Camera.Pipe;
using SecureCam.Camera.Synthetic;
using SecureCam.Camera.V4l2;

namespace SecureCam.Camera;

/// <summary>Makes the <see cref="IFrameSource"/> a `--camera` spec names.</summary>
public static class FrameSourceFactory
{
    /// <summary>Creates the source named by <see cref="CameraOptions.Source"/>.</summary>
    public static IFrameSource Create(CameraOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(options.Source, options, loggerFactory, time);
    }

    /// <summary>Creates the source named by <paramref name="spec"/>, with sizes and limits from <paramref name="options"/>.</summary>
    public static IFrameSource Create(string spec, CameraOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var parsed = FrameSourceSpec.Parse(spec);
        return parsed.Kind switch
        {
            FrameSourceKind.Synthetic => new SyntheticFrameSource(
                new SyntheticPatternSettings(options.Width, options.Height, options.Fps, options.Quality), time),
            FrameSourceKind.Pipe => new PipeFrameSource(
                parsed.Argument, PipeFrameSourceSettings.From(options), loggerFactory.CreateLogger<PipeFrameSource>(), time),
            FrameSourceKind.V4l2 => new V4l2FrameSource(
                parsed.Argument, V4l2CaptureSettings.From(options), loggerFactory.CreateLogger<V4l2FrameSource>(), time),
            _ => throw new ArgumentException($"Camera:Source '{spec}' is not supported."),
        };
    }
}
