using System.CommandLine;

namespace SecureCam.Server.Commands;

/// <summary>`securecam demo`. Placeholder until the issue that owns this verb builds it.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam demo: not built yet");
            return 2;
        });
        return command;
    }
}
