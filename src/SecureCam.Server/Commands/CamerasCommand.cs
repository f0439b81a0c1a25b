using System.CommandLine;
using SecureCam.Camera.V4l2;

namespace SecureCam.Server.Commands;

/// <summary>`securecam cameras`: lists V4L2 video devices with their formats, sizes and frame rates.</summary>
internal static class CamerasCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--device-directory")
        {
            Description = "Where to look for video* device nodes.",
            DefaultValueFactory = _ => "/dev",
        };
        var command = new Command("cameras", "List cameras (/dev/video*) with their formats, sizes and frame rates.")
        {
            directory,
        };
        command.SetAction((ParseResult parseResult) =>
        {
            var dir = parseResult.GetValue(directory) ?? "/dev";
            var devices = V4l2DeviceLister.List(dir);

            // Finding no camera is an answer, not a failure: exit 0 so scripts can read the message.
            Console.Out.Write(V4l2DeviceReport.Format(devices, dir));
            return 0;
        });
        return command;
    }
}
