using System.Runtime.InteropServices;

namespace SecureCam.TestSupport;

/// <summary>kill(2), to send SIGINT the way Ctrl+C does; .NET only offers SIGKILL.</summary>
internal static partial class NativeSignals
{
    public const int SigInt = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
