using System.CommandLine;

namespace SecureCam.Bench.Commands;

/// <summary>`securecam-bench camera`. Placeholder until the issue that owns this workload builds it.</summary>
internal static class CameraBenchCommand
{
    public static Command Create()
    {
        var command = new Command("camera", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam-bench camera: not built yet");
            return 2;
        });
        return command;
    }
}
