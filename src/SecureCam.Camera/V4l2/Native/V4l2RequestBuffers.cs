using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>struct v4l2_requestbuffers (20 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
internal unsafe struct V4l2RequestBuffers
{
    [FieldOffset(0)] public uint Count;
    [FieldOffset(4)] public uint Type;
    [FieldOffset(8)] public uint Memory;
    [FieldOffset(12)] public uint Capabilities;
    [FieldOffset(16)] public byte Flags;
    [FieldOffset(17)] public fixed byte Reserved[3];
}
