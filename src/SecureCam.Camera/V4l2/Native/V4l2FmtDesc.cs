using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>struct v4l2_fmtdesc (64 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct V4l2FmtDesc
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint Type;
    [FieldOffset(8)] public uint Flags;
    [FieldOffset(12)] public fixed byte Description[32];
    [FieldOffset(44)] public uint PixelFormat;
    [FieldOffset(48)] public uint MbusCode;
    [FieldOffset(52)] public fixed uint Reserved[3];
}
