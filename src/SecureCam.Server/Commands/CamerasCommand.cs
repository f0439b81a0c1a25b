using System.CommandLine;

namespace SecureCam.Server.Commands;

/// <summary>`securecam cameras`. Placeholder until the issue that owns this verb builds it.</summary>
internal static class CamerasCommand
{
    public static Command Create()
    {
        var command = new Command("cameras", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam cameras: not built yet");
            return 2;
        });
        return command;
    }
}
