namespace SecureCam.Server.Tests.Support;

/// <summary>One part of an MJPEG stream as read by a test client.</summary>
internal sealed record MjpegPart(long Sequence, long CaptureTimeMs, byte[] Jpeg, DateTime ReceivedAt, IReadOnlyDictionary<string, string> Headers);
