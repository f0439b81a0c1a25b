namespace SecureCam.Camera.V4l2;

/// <summary>A frame size and its frame rates.</summary>
/// <param name="Size">"1280x720", or a range such as "16x16 - 1920x1080 step 2x2".</param>
/// <param name="FrameRates">Frame rates in frames per second, e.g. "30", "7.5", or a range "1 - 30".</param>
public sealed record V4l2FrameSizeInfo(string Size, IReadOnlyList<string> FrameRates);
