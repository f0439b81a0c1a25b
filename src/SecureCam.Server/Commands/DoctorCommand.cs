using System.CommandLine;

namespace SecureCam.Server.Commands;

/// <summary>`securecam doctor`. Placeholder until the issue that owns this verb builds it.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam doctor: not built yet");
            return 2;
        });
        return command;
    }
}
