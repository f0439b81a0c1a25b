using System.CommandLine;

namespace SecureCam.Bench.Commands;

/// <summary>`securecam-bench acme`. Placeholder until the issue that owns this workload builds it.</summary>
internal static class AcmeBenchCommand
{
    public static Command Create()
    {
        var command = new Command("acme", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam-bench acme: not built yet");
            return 2;
        });
        return command;
    }
}
