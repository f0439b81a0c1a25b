using System.CommandLine;

namespace SecureCam.Server.Commands;

/// <summary>`securecam serve`. Placeholder until the issue that owns this verb builds it.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam serve: not built yet");
            return 2;
        });
        return command;
    }
}
