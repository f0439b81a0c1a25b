using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SecureCam.PkiTool;

/// <summary>
/// Turns the terminal's echo off for the whole of a passphrase prompt. <see cref="Console.ReadKey(bool)"/> turns it
/// off only while each call waits, so characters that arrive just before a call (right after the prompt shows, or
/// between two keys) would be echoed by the terminal itself.
/// </summary>
internal static partial class TerminalEcho
{
    private const int StandardInput = 0;
    private const int ChangeNow = 0; // TCSANOW
    private const uint Echo = 0x8; // ECHO in c_lflag

    /// <summary>Echo off on standard input until the result is disposed; null when it is not a Linux terminal.</summary>
    public static IDisposable? Off()
    {
        if (!OperatingSystem.IsLinux() || GetAttributes(StandardInput, out var saved) != 0)
        {
            return null;
        }

        var quiet = saved;
        quiet.LocalFlags &= ~Echo;
        return SetAttributes(StandardInput, ChangeNow, in quiet) == 0 ? new Restore(saved) : null;
    }

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int GetAttributes(int fd, out Termios termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int SetAttributes(int fd, int optionalActions, in Termios termios);

    /// <summary>Linux's struct termios (the same on x64 and arm64): four flag words, the line discipline, 32 control characters, two speeds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Termios
    {
        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte LineDiscipline;
        public ControlCharacters Characters;
        public uint InputSpeed;
        public uint OutputSpeed;
    }

    [InlineArray(32)]
    private struct ControlCharacters
    {
        private byte _first;
    }

    private sealed class Restore(Termios saved) : IDisposable
    {
        public void Dispose() => SetAttributes(StandardInput, ChangeNow, in saved);
    }
}
