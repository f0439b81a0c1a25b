using System.Globalization;
using System.Text.RegularExpressions;
using SecureCam.Camera.V4l2.Native;

namespace SecureCam.Camera.V4l2;

/// <summary>Finds /dev/videoN nodes and asks each for its formats, sizes and frame rates.</summary>
public static partial class V4l2DeviceLister
{
    /// <summary>All video nodes under <paramref name="deviceDirectory"/>, in numeric order; empty when there are none.</summary>
    public static IReadOnlyList<V4l2DeviceInfo> List(string deviceDirectory = "/dev")
    {
        if (!Directory.Exists(deviceDirectory))
        {
            return [];
        }

        var nodes = Directory.EnumerateFileSystemEntries(deviceDirectory)
            .Select(path => (Path: path, Match: VideoNode().Match(System.IO.Path.GetFileName(path))))
            .Where(n => n.Match.Success)
            .OrderBy(n => int.Parse(n.Match.Groups[1].ValueSpan, CultureInfo.InvariantCulture))
            .Select(n => n.Path);
        return nodes.Select(Describe).ToList();
    }

    /// <summary>Queries one node; a node that cannot be opened is reported with its error rather than dropped.</summary>
    public static V4l2DeviceInfo Describe(string path)
    {
        try
        {
            using var device = V4l2Device.Open(path);
            var cap = device.QueryCapability();
            string card, driver, bus;
            unsafe
            {
                card = V4l2Device.CString(cap.Card, 32);
                driver = V4l2Device.CString(cap.Driver, 16);
                bus = V4l2Device.CString(cap.BusInfo, 32);
            }

            bool canCapture = (cap.EffectiveCaps & V4l2Constants.CapVideoCapture) != 0;
            var formats = canCapture ? DescribeFormats(device) : [];
            return new V4l2DeviceInfo(path, card, driver, bus, canCapture, null, formats);
        }
        catch (V4l2Exception ex)
        {
            return new V4l2DeviceInfo(path, string.Empty, string.Empty, string.Empty, false, ex.Message, []);
        }
    }

    private static List<V4l2FormatInfo> DescribeFormats(V4l2Device device)
    {
        var result = new List<V4l2FormatInfo>();
        foreach (var (pixelFormat, description) in device.EnumerateFormats())
        {
            var sizes = new List<V4l2FrameSizeInfo>();
            foreach (var size in device.EnumerateFrameSizes(pixelFormat))
            {
                if (size.Type == V4l2Constants.FrmSizeTypeDiscrete)
                {
                    var rates = device.EnumerateFrameIntervals(pixelFormat, size.DiscreteWidth, size.DiscreteHeight).Select(DescribeRate).ToList();
                    sizes.Add(new V4l2FrameSizeInfo($"{size.DiscreteWidth}x{size.DiscreteHeight}", rates));
                }
                else
                {
                    var rates = device.EnumerateFrameIntervals(pixelFormat, size.MaxWidth, size.MaxHeight).Select(DescribeRate).ToList();
                    sizes.Add(new V4l2FrameSizeInfo(
                        $"{size.MinWidth}x{size.MinHeight} - {size.MaxWidth}x{size.MaxHeight} step {size.StepWidth}x{size.StepHeight}", rates));
                }
            }

            result.Add(new V4l2FormatInfo(V4l2Constants.FourCcText(pixelFormat), description, sizes));
        }

        return result;
    }

    /// <summary>A frame interval (seconds per frame, as a fraction) as a rate in frames per second.</summary>
    private static string DescribeRate(V4l2FrmIvalEnum interval)
    {
        if (interval.Type == V4l2Constants.FrmIvalTypeDiscrete)
        {
            return Rate(interval.DiscreteNumerator, interval.DiscreteDenominator);
        }

        // The longest interval is the lowest rate.
        return $"{Rate(interval.MaxNumerator, interval.MaxDenominator)} - {Rate(interval.MinNumerator, interval.MinDenominator)}";
    }

    private static string Rate(uint numerator, uint denominator) =>
        numerator == 0 ? "?" : ((double)denominator / numerator).ToString("0.##", CultureInfo.InvariantCulture);

    [GeneratedRegex("^video([0-9]+)$")]
    private static partial Regex VideoNode();
}

/// <summary>One /dev/videoN node as `securecam cameras` shows it.</summary>
/// <param name="Path">The device node, e.g. /dev/video0.</param>
/// <param name="Card">The camera's name as the driver reports it.</param>
/// <param name="Driver">The kernel driver (uvcvideo for USB webcams).</param>
/// <param name="BusInfo">Where it is plugged in.</param>
/// <param name="CanCapture">False for nodes that only carry metadata (UVC cameras have one per camera).</param>
/// <param name="Error">Why the node could not be queried (busy, no permission), or null.</param>
/// <param name="Formats">Capture formats with sizes and frame rates.</param>
public sealed record V4l2DeviceInfo(
    string Path,
    string Card,
    string Driver,
    string BusInfo,
    bool CanCapture,
    string? Error,
    IReadOnlyList<V4l2FormatInfo> Formats);

/// <summary>A pixel format a camera offers (MJPG, YUYV…) and the sizes it offers it in.</summary>
/// <param name="FourCc">Four-character code, e.g. MJPG.</param>
/// <param name="Description">The driver's description.</param>
/// <param name="Sizes">Discrete sizes, or one entry describing a stepwise range.</param>
public sealed record V4l2FormatInfo(string FourCc, string Description, IReadOnlyList<V4l2FrameSizeInfo> Sizes)
{
    /// <summary>True for the formats SecureCam can capture (MJPEG directly, YUYV through libjpeg-turbo).</summary>
    public bool IsSupported => FourCc is "MJPG" or "JPEG" or "YUYV";
}

/// <summary>A frame size and its frame rates.</summary>
/// <param name="Size">"1280x720", or a range such as "16x16 - 1920x1080 step 2x2".</param>
/// <param name="FrameRates">Frame rates in frames per second, e.g. "30", "7.5", or a range "1 - 30".</param>
public sealed record V4l2FrameSizeInfo(string Size, IReadOnlyList<string> FrameRates);
