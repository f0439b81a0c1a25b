using System.Runtime.CompilerServices;

namespace SecureCam.Camera.V4l2.Native;

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
