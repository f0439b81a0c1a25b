using System.CommandLine;

namespace SecureCam.Server.Commands;

/// <summary>`securecam acme`. Placeholder until the issue that owns this verb builds it.</summary>
internal static class AcmeCommand
{
    public static Command Create()
    {
        var command = new Command("acme", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam acme: not built yet");
            return 2;
        });
        return command;
    }
}
