using System.Security.Cryptography;

namespace SecureCam.PkiTool.Tests;

/// <summary>Every file under a folder with its hash and mode: to prove a failed command changed nothing.</summary>
internal static class StoreSnapshot
{
    public static Dictionary<string, string> Take(string directory) =>
        !Directory.Exists(directory)
            ? []
            : Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) != ".lock")
                .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) + " " + (OperatingSystem.IsWindows() ? string.Empty : File.GetUnixFileMode(f).ToString()));
}
