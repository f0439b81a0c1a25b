using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using SecureCam.Camera.V4l2.Native;
using SecureCam.TestSupport;

namespace SecureCam.Camera.Tests;

/// <summary>
/// The structs we hand to ioctl must match the kernel's layout byte for byte, or the kernel reads
/// and writes the wrong fields. A C program compiled against linux/videodev2.h prints sizeof and
/// offsetof of every field we use, and the request numbers; our C# definitions must agree. Run on
/// x86_64 and on aarch64 (both LP64), this proves both.
/// </summary>
public sealed class V4l2LayoutTests
{
    private static readonly (string CStruct, Type Type, (string CField, string Field)[] Fields)[] Structs =
    [
        ("v4l2_capability", typeof(V4l2Capability), [("driver", "Driver"), ("card", "Card"), ("bus_info", "BusInfo"), ("version", "Version"), ("capabilities", "Capabilities"), ("device_caps", "DeviceCaps"), ("reserved", "Reserved")]),
        ("v4l2_fmtdesc", typeof(V4l2FmtDesc), [("index", "Index"), ("type", "Type"), ("flags", "Flags"), ("description", "Description"), ("pixelformat", "PixelFormat"), ("mbus_code", "MbusCode"), ("reserved", "Reserved")]),
        ("v4l2_frmsizeenum", typeof(V4l2FrmSizeEnum), [("index", "Index"), ("pixel_format", "PixelFormat"), ("type", "Type"), ("discrete.width", "DiscreteWidth"), ("discrete.height", "DiscreteHeight"), ("stepwise.min_width", "MinWidth"), ("stepwise.max_width", "MaxWidth"), ("stepwise.step_width", "StepWidth"), ("stepwise.min_height", "MinHeight"), ("stepwise.max_height", "MaxHeight"), ("stepwise.step_height", "StepHeight"), ("reserved", "Reserved")]),
        ("v4l2_frmivalenum", typeof(V4l2FrmIvalEnum), [("index", "Index"), ("pixel_format", "PixelFormat"), ("width", "Width"), ("height", "Height"), ("type", "Type"), ("discrete.numerator", "DiscreteNumerator"), ("discrete.denominator", "DiscreteDenominator"), ("stepwise.min.numerator", "MinNumerator"), ("stepwise.min.denominator", "MinDenominator"), ("stepwise.max.numerator", "MaxNumerator"), ("stepwise.max.denominator", "MaxDenominator"), ("stepwise.step.numerator", "StepNumerator"), ("stepwise.step.denominator", "StepDenominator"), ("reserved", "Reserved")]),
        ("v4l2_format", typeof(V4l2Format), [("type", "Type"), ("fmt.pix.width", "Width"), ("fmt.pix.height", "Height"), ("fmt.pix.pixelformat", "PixelFormat"), ("fmt.pix.field", "Field"), ("fmt.pix.bytesperline", "BytesPerLine"), ("fmt.pix.sizeimage", "SizeImage"), ("fmt.pix.colorspace", "Colorspace"), ("fmt.pix.priv", "Priv"), ("fmt.pix.flags", "Flags"), ("fmt.pix.ycbcr_enc", "YcbcrEncoding"), ("fmt.pix.quantization", "Quantization"), ("fmt.pix.xfer_func", "XferFunc"), ("fmt.raw_data", "RawData")]),
        ("v4l2_streamparm", typeof(V4l2StreamParm), [("type", "Type"), ("parm.capture.capability", "Capability"), ("parm.capture.capturemode", "CaptureMode"), ("parm.capture.timeperframe.numerator", "TimePerFrameNumerator"), ("parm.capture.timeperframe.denominator", "TimePerFrameDenominator"), ("parm.capture.extendedmode", "ExtendedMode"), ("parm.capture.readbuffers", "ReadBuffers"), ("parm.capture.reserved", "CaptureReserved"), ("parm.raw_data", "RawData")]),
        ("v4l2_requestbuffers", typeof(V4l2RequestBuffers), [("count", "Count"), ("type", "Type"), ("memory", "Memory"), ("capabilities", "Capabilities"), ("flags", "Flags"), ("reserved", "Reserved")]),
        ("v4l2_buffer", typeof(V4l2Buffer), [("index", "Index"), ("type", "Type"), ("bytesused", "BytesUsed"), ("flags", "Flags"), ("field", "Field"), ("timestamp.tv_sec", "TimestampSeconds"), ("timestamp.tv_usec", "TimestampMicroseconds"), ("timecode", "Timecode"), ("sequence", "Sequence"), ("memory", "Memory"), ("m.offset", "Offset"), ("m.userptr", "UserPointer"), ("length", "Length"), ("reserved2", "Reserved2"), ("request_fd", "RequestFd")]),
    ];

    private static readonly (string Name, nuint Value)[] Requests =
    [
        ("VIDIOC_QUERYCAP", V4l2Ioctl.QueryCap), ("VIDIOC_ENUM_FMT", V4l2Ioctl.EnumFmt), ("VIDIOC_G_FMT", V4l2Ioctl.GetFmt),
        ("VIDIOC_S_FMT", V4l2Ioctl.SetFmt), ("VIDIOC_REQBUFS", V4l2Ioctl.ReqBufs), ("VIDIOC_QUERYBUF", V4l2Ioctl.QueryBuf),
        ("VIDIOC_QBUF", V4l2Ioctl.QBuf), ("VIDIOC_DQBUF", V4l2Ioctl.DqBuf), ("VIDIOC_STREAMON", V4l2Ioctl.StreamOn),
        ("VIDIOC_STREAMOFF", V4l2Ioctl.StreamOff), ("VIDIOC_G_PARM", V4l2Ioctl.GetParm), ("VIDIOC_S_PARM", V4l2Ioctl.SetParm),
        ("VIDIOC_ENUM_FRAMESIZES", V4l2Ioctl.EnumFrameSizes), ("VIDIOC_ENUM_FRAMEINTERVALS", V4l2Ioctl.EnumFrameIntervals),
    ];

    [SkippableFact]
    public async Task Structs_and_request_numbers_match_the_kernel_headers()
    {
        var gcc = Peer.Require("gcc");
        Peer.RequireThat(File.Exists("/usr/include/linux/videodev2.h"), "linux/videodev2.h is missing (Debian package linux-libc-dev)");
        using var dir = new TempDirectory("securecam-v4l2-layout");
        var source = dir.Combine("layout.c");
        var program = dir.Combine("layout");
        await File.WriteAllTextAsync(source, CProgram());
        var compiled = await ExternalProcess.RunAsync(gcc, ["-std=gnu11", "-Wall", "-o", program, source], timeout: TimeSpan.FromSeconds(120));
        Assert.True(compiled.ExitCode == 0, "gcc failed: " + compiled.StandardError);
        var run = await ExternalProcess.RunAsync(program, []);
        Assert.Equal(0, run.ExitCode);

        var expected = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => ulong.Parse(parts[1], CultureInfo.InvariantCulture));

        var mismatches = new List<string>();
        foreach (var (cStruct, type, fields) in Structs)
        {
            Check(mismatches, expected, $"sizeof:{cStruct}", (ulong)Marshal.SizeOf(type));
            foreach (var (cField, field) in fields)
            {
                Check(mismatches, expected, $"offsetof:{cStruct}.{cField}", (ulong)Marshal.OffsetOf(type, field));
            }
        }

        foreach (var (name, value) in Requests)
        {
            Check(mismatches, expected, $"ioctl:{name}", value);
        }

        Check(mismatches, expected, "sizeof:pollfd", (ulong)Marshal.SizeOf<PollFd>());
        Check(mismatches, expected, "const:O_NONBLOCK", LibC.O_NONBLOCK);
        Check(mismatches, expected, "const:O_CLOEXEC", LibC.O_CLOEXEC);
        Check(mismatches, expected, "const:V4L2_PIX_FMT_MJPEG", V4l2Constants.PixFmtMjpeg);
        Check(mismatches, expected, "const:V4L2_PIX_FMT_YUYV", V4l2Constants.PixFmtYuyv);
        Check(mismatches, expected, "const:V4L2_CAP_DEVICE_CAPS", V4l2Constants.CapDeviceCaps);
        Check(mismatches, expected, "const:V4L2_BUF_FLAG_ERROR", V4l2Constants.BufFlagError);
        Assert.True(mismatches.Count == 0, $"{RuntimeInformation.ProcessArchitecture}: layout differs from the C headers:\n" + string.Join('\n', mismatches));
    }

    private static void Check(List<string> mismatches, Dictionary<string, ulong> expected, string key, ulong actual)
    {
        if (!expected.TryGetValue(key, out var c))
        {
            mismatches.Add($"{key}: not printed by the C program");
        }
        else if (c != actual)
        {
            mismatches.Add($"{key}: C says {c}, C# says {actual}");
        }
    }

    private static string CProgram()
    {
        var c = new StringBuilder();
        c.AppendLine("#include <stdio.h>\n#include <stddef.h>\n#include <fcntl.h>\n#include <poll.h>\n#include <sys/ioctl.h>\n#include <linux/videodev2.h>");
        c.AppendLine("int main(void) {");
        foreach (var (cStruct, _, fields) in Structs)
        {
            c.AppendLine(CultureInfo.InvariantCulture, $"  printf(\"sizeof:{cStruct} %zu\\n\", sizeof(struct {cStruct}));");
            foreach (var (cField, _) in fields)
            {
                c.AppendLine(CultureInfo.InvariantCulture, $"  printf(\"offsetof:{cStruct}.{cField} %zu\\n\", offsetof(struct {cStruct}, {cField}));");
            }
        }

        foreach (var (name, _) in Requests)
        {
            c.AppendLine(CultureInfo.InvariantCulture, $"  printf(\"ioctl:{name} %lu\\n\", (unsigned long){name});");
        }

        c.AppendLine("  printf(\"sizeof:pollfd %zu\\n\", sizeof(struct pollfd));");
        foreach (var name in new[] { "O_NONBLOCK", "O_CLOEXEC", "V4L2_PIX_FMT_MJPEG", "V4L2_PIX_FMT_YUYV", "V4L2_CAP_DEVICE_CAPS", "V4L2_BUF_FLAG_ERROR" })
        {
            c.AppendLine(CultureInfo.InvariantCulture, $"  printf(\"const:{name} %lu\\n\", (unsigned long){name});");
        }

        c.AppendLine("  return 0;\n}");
        return c.ToString();
    }
}
