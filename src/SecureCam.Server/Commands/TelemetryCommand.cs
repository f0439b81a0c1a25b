using System.CommandLine;

namespace SecureCam.Server.Commands;

/// <summary>`securecam telemetry`. Placeholder until the issue that owns this verb builds it.</summary>
internal static class TelemetryCommand
{
    public static Command Create()
    {
        var command = new Command("telemetry", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam telemetry: not built yet");
            return 2;
        });
        return command;
    }
}
