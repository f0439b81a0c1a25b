namespace SecureCam.Bench.Upstream;

/// <summary>A frame the plain-HTTP upstream serves: its sequence, capture time (unix ms) and JPEG bytes.</summary>
internal sealed record UpstreamFrame(long Sequence, long CaptureTimeUnixMs, ReadOnlyMemory<byte> Jpeg);
