using System.CommandLine;

namespace SecureCam.Bench.Commands;

/// <summary>`securecam-bench dtls`. Placeholder until the issue that owns this workload builds it.</summary>
internal static class DtlsBenchCommand
{
    public static Command Create()
    {
        var command = new Command("dtls", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam-bench dtls: not built yet");
            return 2;
        });
        return command;
    }
}
