namespace SecureCam.Camera.V4l2;

/// <summary>One /dev/videoN node as `securecam cameras` shows it.</summary>
/// <param name="Path">The device node, e.g. /dev/video0.</param>
/// <param name="Card">The camera's name as the driver reports it.</param>
/// <param name="Driver">The kernel driver (uvcvideo for USB webcams).</param>
/// <param name="BusInfo">Where it is plugged in.</param>
/// <param name="CanCapture">False for nodes that only carry metadata (UVC cameras have one per camera).</param>
/// <param name="Error">Why the node could not be queried (busy, no permission), or null.</param>
/// <param name="Formats">Capture formats with sizes and frame rates.</param>
public sealed record V4l2DeviceInfo(
    string Path,
    string Card,
    string Driver,
    string BusInfo,
    bool CanCapture,
    string? Error,
    IReadOnlyList<V4l2FormatInfo> Formats);
