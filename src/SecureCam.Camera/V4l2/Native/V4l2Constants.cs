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
