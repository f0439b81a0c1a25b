namespace SecureCam.Camera.Jpeg;

/// <summary>What the splitter learned while walking a frame's segments.</summary>
/// <param name="Width">From the start-of-frame segment.</param>
/// <param name="Height">From the start-of-frame segment.</param>
/// <param name="HasHuffmanTables">False for MJPEG cameras that leave out DHT and rely on the standard tables.</param>
/// <param name="FirstScanOffset">Offset of the first SOS marker, where a missing DHT is inserted.</param>
internal readonly record struct JpegFrameInfo(int Width, int Height, bool HasHuffmanTables, int FirstScanOffset);
