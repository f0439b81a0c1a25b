using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>
/// struct v4l2_format with its single-planar pixel format (struct v4l2_pix_format) spelled out.
/// The fmt union holds struct v4l2_window, which has pointers, so on LP64 the union is 8-aligned:
/// it starts at offset 8, not 4, and the struct is 208 bytes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 208)]
internal unsafe struct V4l2Format
{
    [FieldOffset(0)] public uint Type;

    // fmt.pix
    [FieldOffset(8)] public uint Width;
    [FieldOffset(12)] public uint Height;
    [FieldOffset(16)] public uint PixelFormat;
    [FieldOffset(20)] public uint Field;
    [FieldOffset(24)] public uint BytesPerLine;
    [FieldOffset(28)] public uint SizeImage;
    [FieldOffset(32)] public uint Colorspace;
    [FieldOffset(36)] public uint Priv;
    [FieldOffset(40)] public uint Flags;
    [FieldOffset(44)] public uint YcbcrEncoding;
    [FieldOffset(48)] public uint Quantization;
    [FieldOffset(52)] public uint XferFunc;

    // fmt.raw_data[200] keeps the whole union's size.
    [FieldOffset(8)] public fixed byte RawData[200];
}
