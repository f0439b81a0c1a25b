using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Camera.Synthetic;

namespace SecureCam.Camera;

/// <summary>Makes the <see cref="IFrameSource"/> a `--camera` spec names.</summary>
public static class FrameSourceFactory
{
    /// <summary>Creates the source named by <see cref="CameraOptions.Source"/>.</summary>
    public static IFrameSource Create(CameraOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(options.Source, options, loggerFactory);
    }

    /// <summary>Creates the source named by <paramref name="spec"/>, with sizes and limits from <paramref name="options"/>.</summary>
    public static IFrameSource Create(string spec, CameraOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var parsed = FrameSourceSpec.Parse(spec);
        return parsed.Kind switch
        {
            FrameSourceKind.Synthetic => new SyntheticFrameSource(
                new SyntheticPatternSettings(options.Width, options.Height, options.Fps, options.Quality)),
            FrameSourceKind.Pipe or FrameSourceKind.V4l2 => throw new NotSupportedException($"Camera:Source {parsed.Kind} arrives in the next commit."),
            _ => throw new ArgumentException($"Camera:Source '{spec}' is not supported."),
        };
    }
}
