namespace SecureCam.Camera.V4l2;

/// <summary>A pixel format a camera offers (MJPG, YUYV…) and the sizes it offers it in.</summary>
/// <param name="FourCc">Four-character code, e.g. MJPG.</param>
/// <param name="Description">The driver's description.</param>
/// <param name="Sizes">Discrete sizes, or one entry describing a stepwise range.</param>
public sealed record V4l2FormatInfo(string FourCc, string Description, IReadOnlyList<V4l2FrameSizeInfo> Sizes)
{
    /// <summary>True for the formats SecureCam can capture (MJPEG directly, YUYV through libjpeg-turbo).</summary>
    public bool IsSupported => FourCc is "MJPG" or "JPEG" or "YUYV";
}
