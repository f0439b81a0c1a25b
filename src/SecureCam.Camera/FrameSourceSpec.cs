namespace SecureCam.Camera;

/// <summary>
/// A parsed `--camera` value: `synthetic`, `pipe:CMD` (quotes around CMD are optional) or
/// `v4l2:/dev/videoN`.
/// </summary>
public sealed record FrameSourceSpec(FrameSourceKind Kind, string Argument)
{
    /// <summary>Parses a spec; throws <see cref="ArgumentException"/> with a one-line message when it is not one.</summary>
    public static FrameSourceSpec Parse(string? spec)
    {
        var text = (spec ?? string.Empty).Trim();
        if (text.Length == 0 || text.Equals("synthetic", StringComparison.OrdinalIgnoreCase))
        {
            return new FrameSourceSpec(FrameSourceKind.Synthetic, string.Empty);
        }

        if (text.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            var command = Unquote(text["pipe:".Length..].Trim());
            if (command.Length == 0)
            {
                throw new ArgumentException("Camera:Source 'pipe:' needs a command, e.g. pipe:\"rpicam-vid -t 0 --codec mjpeg -o -\".");
            }

            return new FrameSourceSpec(FrameSourceKind.Pipe, command);
        }

        if (text.StartsWith("v4l2:", StringComparison.OrdinalIgnoreCase))
        {
            var device = Unquote(text["v4l2:".Length..].Trim());
            if (!device.StartsWith('/'))
            {
                throw new ArgumentException($"Camera:Source '{text}' needs an absolute device path, e.g. v4l2:/dev/video0.");
            }

            return new FrameSourceSpec(FrameSourceKind.V4l2, device);
        }

        throw new ArgumentException($"Camera:Source '{CredentialRedaction.Redact(text)}' is not one of: synthetic, pipe:\"CMD\", v4l2:/dev/videoN.");
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && ((value[0] == '"' && value[^1] == '"') || (value[0] == '\'' && value[^1] == '\'')))
        {
            return value[1..^1].Trim();
        }

        return value;
    }
}
