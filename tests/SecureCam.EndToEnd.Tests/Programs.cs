using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>The project's own programs as a user runs them: `dotnet securecam.dll …`, `dotnet securecam-pki.dll …` (built next to the tests).</summary>
internal static class Programs
{
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string SecureCam => Path.Combine(AppContext.BaseDirectory, "securecam.dll");

    public static string SecureCamPki => Path.Combine(AppContext.BaseDirectory, "securecam-pki.dll");

    /// <summary>An environment without the variables that would point the programs at another PKI or settings.</summary>
    public static Dictionary<string, string?> CleanEnvironment(Dictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["SECURECAM_PKI"] = null,
            ["SECURECAM_PKI_PASSPHRASE"] = null,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("SECURECAM__", StringComparison.Ordinal)))
        {
            environment[name] = null;
        }

        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }

        return environment;
    }

    public static Task<ProcessResult> PkiAsync(string pkiDirectory, params string[] arguments) =>
        ExternalProcess.RunAsync(Dotnet, [SecureCamPki, "--pki", pkiDirectory, .. arguments], environment: CleanEnvironment(), timeout: TimeSpan.FromSeconds(60));

    /// <summary>`securecam-pki …` that must succeed.</summary>
    public static async Task PkiOkAsync(string pkiDirectory, params string[] arguments)
    {
        var result = await PkiAsync(pkiDirectory, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>A new CA and a server certificate for localhost and 127.0.0.1.</summary>
    public static async Task InitServerPkiAsync(string pkiDirectory)
    {
        await PkiOkAsync(pkiDirectory, "init", "--no-passphrase");
        await PkiOkAsync(pkiDirectory, "issue-server", "server", "--dns", "localhost", "--ip", "127.0.0.1");
    }

    /// <summary>`securecam serve` with the synthetic camera on 127.0.0.1:<paramref name="port"/>, once it listens.</summary>
    public static async Task<RunningProcess> ServeAsync(string workingDirectory, string pkiDirectory, int port, int width, int height, Dictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>(settings ?? [])
        {
            ["SECURECAM__CAMERA__WIDTH"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SECURECAM__CAMERA__HEIGHT"] = height.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var server = ExternalProcess.Start(
            Dotnet,
            [SecureCam, "serve", "--pki", pkiDirectory, "--listen", $"https://127.0.0.1:{port}", "--camera", "synthetic"],
            workingDirectory,
            CleanEnvironment(environment));
        await server.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(90));
        return server;
    }
}
