using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>
/// struct v4l2_buffer (88 bytes on LP64). struct timeval is two longs (16 bytes, 8-aligned), so
/// four bytes of padding follow <see cref="Field"/>; the union m holds an unsigned long or a pointer,
/// so it is 8 bytes at offset 64. We only use MMAP, where m.offset is the first 4 bytes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
internal unsafe struct V4l2Buffer
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint Type;
    [FieldOffset(8)] public uint BytesUsed;
    [FieldOffset(12)] public uint Flags;
    [FieldOffset(16)] public uint Field;
    [FieldOffset(24)] public long TimestampSeconds;
    [FieldOffset(32)] public long TimestampMicroseconds;

    // struct v4l2_timecode: type, flags, frames, seconds, minutes, hours, userbits[4].
    [FieldOffset(40)] public fixed byte Timecode[16];
    [FieldOffset(56)] public uint Sequence;
    [FieldOffset(60)] public uint Memory;

    // union m { __u32 offset; unsigned long userptr; struct v4l2_plane *planes; __s32 fd; }
    [FieldOffset(64)] public uint Offset;
    [FieldOffset(64)] public ulong UserPointer;
    [FieldOffset(72)] public uint Length;
    [FieldOffset(76)] public uint Reserved2;

    // union { __s32 request_fd; __u32 reserved; }
    [FieldOffset(80)] public int RequestFd;
}
