using System.Text;

namespace SecureCam.Camera.V4l2;

/// <summary>The text `securecam cameras` prints.</summary>
public static class V4l2DeviceReport
{
    /// <summary>Printed when no /dev/videoN node exists: says so plainly and what to do instead.</summary>
    public static string NoneFound(string deviceDirectory) =>
        $"No cameras found: there is no {deviceDirectory.TrimEnd('/')}/video* device. Plug in a USB webcam, or use " +
        "--camera pipe:\"rpicam-vid -t 0 --codec mjpeg -o -\" for a Raspberry Pi camera, or --camera synthetic.";

    public static string Format(IReadOnlyList<V4l2DeviceInfo> devices, string deviceDirectory = "/dev")
    {
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count == 0)
        {
            return NoneFound(deviceDirectory) + Environment.NewLine;
        }

        var text = new StringBuilder();
        foreach (var device in devices)
        {
            if (device.Error is not null)
            {
                text.AppendLine($"{device.Path}  (cannot query: {device.Error})");
                continue;
            }

            if (!device.CanCapture)
            {
                text.AppendLine($"{device.Path}  {device.Card}  (not a capture node: metadata or output only)");
                continue;
            }

            text.AppendLine($"{device.Path}  {device.Card}  ({device.Driver}, {device.BusInfo})  use: --camera v4l2:{device.Path}");
            foreach (var format in device.Formats)
            {
                var note = format.IsSupported ? string.Empty : "  (not supported by SecureCam)";
                text.AppendLine($"  {format.FourCc}  {format.Description}{note}");
                foreach (var size in format.Sizes)
                {
                    var rates = size.FrameRates.Count == 0 ? "rate not reported" : string.Join(", ", size.FrameRates) + " fps";
                    text.AppendLine($"    {size.Size,-12} {rates}");
                }
            }
        }

        return text.ToString();
    }
}
