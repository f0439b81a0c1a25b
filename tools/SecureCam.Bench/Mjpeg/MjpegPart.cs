namespace SecureCam.Bench.Mjpeg;

/// <summary>
/// One complete part of a multipart MJPEG stream, as the bench sees it: the frame's length and the
/// two headers SecureCam adds (see CONFIG-CONTRACT: X-Frame-Sequence, X-Capture-Time in unix ms);
/// -1 when a header was absent. The JPEG bytes themselves are never kept or decoded.
/// </summary>
internal readonly record struct MjpegPart(long Length, long Sequence, long CaptureTimeUnixMs, bool StartsWithJpegMarker);
