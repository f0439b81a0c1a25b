using System.CommandLine;

namespace SecureCam.Bench.Commands;

/// <summary>`securecam-bench viewers`. Placeholder until the issue that owns this workload builds it.</summary>
internal static class ViewersBenchCommand
{
    public static Command Create()
    {
        var command = new Command("viewers", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam-bench viewers: not built yet");
            return 2;
        });
        return command;
    }
}
