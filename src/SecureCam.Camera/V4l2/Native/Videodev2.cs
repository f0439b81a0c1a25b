using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>Values from linux/videodev2.h.</summary>
internal static class V4l2Constants
{
    public const uint CapVideoCapture = 0x00000001;
    public const uint CapStreaming = 0x04000000;
    public const uint CapDeviceCaps = 0x80000000;

    public const uint BufTypeVideoCapture = 1;
    public const uint MemoryMmap = 1;
    public const uint FieldNone = 1;
    public const uint BufFlagError = 0x00000040;
    public const uint CapTimePerFrame = 0x1000;

    public const uint FrmSizeTypeDiscrete = 1;
    public const uint FrmSizeTypeContinuous = 2;
    public const uint FrmSizeTypeStepwise = 3;

    public const uint FrmIvalTypeDiscrete = 1;

    public static readonly uint PixFmtMjpeg = FourCc("MJPG");
    public static readonly uint PixFmtJpeg = FourCc("JPEG");
    public static readonly uint PixFmtYuyv = FourCc("YUYV");

    /// <summary>v4l2_fourcc: four ASCII characters, first in the lowest byte.</summary>
    public static uint FourCc(string code) => code[0] | ((uint)code[1] << 8) | ((uint)code[2] << 16) | ((uint)code[3] << 24);

    public static string FourCcText(uint value) => new([(char)(value & 0xFF), (char)((value >> 8) & 0xFF), (char)((value >> 16) & 0xFF), (char)(value >> 24)]);
}

/// <summary>
/// ioctl request numbers, built like the kernel's _IOC macro (asm-generic layout, used by both
/// x86_64 and arm64): direction in bits 30–31, argument size in bits 16–29, type 'V', number.
/// The sizes come from our structs, and the layout test checks both against the C headers.
/// </summary>
internal static unsafe class V4l2Ioctl
{
    private const uint Write = 1;
    private const uint Read = 2;

    public static readonly nuint QueryCap = Ioc(Read, 0, sizeof(V4l2Capability));
    public static readonly nuint EnumFmt = Ioc(Read | Write, 2, sizeof(V4l2FmtDesc));
    public static readonly nuint GetFmt = Ioc(Read | Write, 4, sizeof(V4l2Format));
    public static readonly nuint SetFmt = Ioc(Read | Write, 5, sizeof(V4l2Format));
    public static readonly nuint ReqBufs = Ioc(Read | Write, 8, sizeof(V4l2RequestBuffers));
    public static readonly nuint QueryBuf = Ioc(Read | Write, 9, sizeof(V4l2Buffer));
    public static readonly nuint QBuf = Ioc(Read | Write, 15, sizeof(V4l2Buffer));
    public static readonly nuint DqBuf = Ioc(Read | Write, 17, sizeof(V4l2Buffer));
    public static readonly nuint StreamOn = Ioc(Write, 18, sizeof(int));
    public static readonly nuint StreamOff = Ioc(Write, 19, sizeof(int));
    public static readonly nuint GetParm = Ioc(Read | Write, 21, sizeof(V4l2StreamParm));
    public static readonly nuint SetParm = Ioc(Read | Write, 22, sizeof(V4l2StreamParm));
    public static readonly nuint EnumFrameSizes = Ioc(Read | Write, 74, sizeof(V4l2FrmSizeEnum));
    public static readonly nuint EnumFrameIntervals = Ioc(Read | Write, 75, sizeof(V4l2FrmIvalEnum));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Ioc(uint direction, uint number, int size) =>
        (nuint)((direction << 30) | ((uint)size << 16) | ((uint)'V' << 8) | number);
}

/// <summary>struct v4l2_capability (104 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 104)]
internal unsafe struct V4l2Capability
{
    [FieldOffset(0)] public fixed byte Driver[16];
    [FieldOffset(16)] public fixed byte Card[32];
    [FieldOffset(48)] public fixed byte BusInfo[32];
    [FieldOffset(80)] public uint Version;
    [FieldOffset(84)] public uint Capabilities;
    [FieldOffset(88)] public uint DeviceCaps;
    [FieldOffset(92)] public fixed uint Reserved[3];

    /// <summary>The node's own capabilities when the driver reports them, else the whole device's.</summary>
    public readonly uint EffectiveCaps => (Capabilities & V4l2Constants.CapDeviceCaps) != 0 ? DeviceCaps : Capabilities;
}

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

/// <summary>struct v4l2_frmsizeenum (44 bytes); the union holds either a discrete size or a stepwise range.</summary>
[StructLayout(LayoutKind.Explicit, Size = 44)]
internal unsafe struct V4l2FrmSizeEnum
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint PixelFormat;
    [FieldOffset(8)] public uint Type;

    // union { struct v4l2_frmsize_discrete discrete; struct v4l2_frmsize_stepwise stepwise; }
    [FieldOffset(12)] public uint DiscreteWidth;
    [FieldOffset(16)] public uint DiscreteHeight;
    [FieldOffset(12)] public uint MinWidth;
    [FieldOffset(16)] public uint MaxWidth;
    [FieldOffset(20)] public uint StepWidth;
    [FieldOffset(24)] public uint MinHeight;
    [FieldOffset(28)] public uint MaxHeight;
    [FieldOffset(32)] public uint StepHeight;

    [FieldOffset(36)] public fixed uint Reserved[2];
}

/// <summary>struct v4l2_frmivalenum (52 bytes); intervals are fractions of a second (numerator/denominator).</summary>
[StructLayout(LayoutKind.Explicit, Size = 52)]
internal unsafe struct V4l2FrmIvalEnum
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint PixelFormat;
    [FieldOffset(8)] public uint Width;
    [FieldOffset(12)] public uint Height;
    [FieldOffset(16)] public uint Type;

    // union { struct v4l2_fract discrete; struct v4l2_frmival_stepwise stepwise; }
    [FieldOffset(20)] public uint DiscreteNumerator;
    [FieldOffset(24)] public uint DiscreteDenominator;
    [FieldOffset(20)] public uint MinNumerator;
    [FieldOffset(24)] public uint MinDenominator;
    [FieldOffset(28)] public uint MaxNumerator;
    [FieldOffset(32)] public uint MaxDenominator;
    [FieldOffset(36)] public uint StepNumerator;
    [FieldOffset(40)] public uint StepDenominator;

    [FieldOffset(44)] public fixed uint Reserved[2];
}

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
