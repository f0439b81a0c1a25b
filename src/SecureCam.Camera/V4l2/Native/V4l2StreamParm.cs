using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>
/// struct v4l2_streamparm with parm.capture (struct v4l2_captureparm) spelled out. Its union has no
/// pointers, so it starts at offset 4 and the struct is 204 bytes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 204)]
internal unsafe struct V4l2StreamParm
{
    [FieldOffset(0)] public uint Type;

    // parm.capture
    [FieldOffset(4)] public uint Capability;
    [FieldOffset(8)] public uint CaptureMode;
    [FieldOffset(12)] public uint TimePerFrameNumerator;
    [FieldOffset(16)] public uint TimePerFrameDenominator;
    [FieldOffset(20)] public uint ExtendedMode;
    [FieldOffset(24)] public uint ReadBuffers;
    [FieldOffset(28)] public fixed uint CaptureReserved[4];

    // parm.raw_data[200]
    [FieldOffset(4)] public fixed byte RawData[200];
}
