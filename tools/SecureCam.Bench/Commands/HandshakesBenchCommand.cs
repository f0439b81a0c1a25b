using System.CommandLine;

namespace SecureCam.Bench.Commands;

/// <summary>`securecam-bench handshakes`. Placeholder until the issue that owns this workload builds it.</summary>
internal static class HandshakesBenchCommand
{
    public static Command Create()
    {
        var command = new Command("handshakes", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("securecam-bench handshakes: not built yet");
            return 2;
        });
        return command;
    }
}
