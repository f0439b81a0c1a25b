using System.Text.Json;
using SecureCam.TestSupport;

namespace SecureCam.Network.Tests;

/// <summary>Runs the built `securecam.dll doctor` with `dotnet`, as a user would.</summary>
internal static class DoctorCli
{
    /// <summary>src/SecureCam.Server/bin/CONFIG/net10.0/securecam.dll, CONFIG being the one this test was built with.</summary>
    public static string ServerDll
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = framework.Parent!.Name;
            var dll = Path.Combine(RepositoryPaths.Root, "src", "SecureCam.Server", "bin", configuration, framework.Name, "securecam.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build SecureCam.Server first: " + dll);
        }
    }

    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment = null) =>
        ExternalProcess.RunAsync("dotnet", [ServerDll, "doctor", .. arguments], workingDirectory, environment, timeout: TimeSpan.FromSeconds(60));

    /// <summary>Parses stdout as JSON; fails with the whole output when it is not.</summary>
    public static JsonDocument ParseJson(ProcessResult result)
    {
        try
        {
            return JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"doctor --json did not print JSON ({e.Message}):\n{result}", e);
        }
    }
}
