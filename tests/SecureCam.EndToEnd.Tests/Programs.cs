using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// The project's own programs as a user runs them: `dotnet securecam.dll …`, `dotnet securecam-pki.dll …`
/// (built next to the tests), or the published native binaries `securecam`, `securecam-pki` in
/// $SECURECAM_E2E_BIN_DIR when it is set (test.sh runs the suite a second time that way).
/// </summary>
internal static class Programs
{
    public const string BinDirectoryVariable = "SECURECAM_E2E_BIN_DIR";

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The folder of the published binaries under test, or null for the JIT build next to the tests.</summary>
    public static string? BinDirectory => Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;

    /// <summary>Starts `securecam ARGS` (a server) in <paramref name="workingDirectory"/>.</summary>
    public static RunningProcess StartSecureCam(string[] arguments, string workingDirectory, Dictionary<string, string?>? environment = null)
    {
        var (file, all) = Command("securecam", arguments);
        return ExternalProcess.Start(file, all, workingDirectory, environment ?? CleanEnvironment());
    }

    /// <summary>Runs `securecam ARGS` to completion in <paramref name="workingDirectory"/>.</summary>
    public static Task<ProcessResult> RunSecureCamAsync(string[] arguments, string workingDirectory, Dictionary<string, string?>? environment = null)
    {
        var (file, all) = Command("securecam", arguments);
        return ExternalProcess.RunAsync(file, all, workingDirectory, environment ?? CleanEnvironment(), timeout: TimeSpan.FromSeconds(60));
    }

    private static (string FileName, string[] Arguments) Command(string program, string[] arguments)
    {
        if (BinDirectory is { } bin)
        {
            var native = Path.Combine(bin, program);
            return File.Exists(native)
                ? (native, arguments)
                : throw new InvalidOperationException($"{BinDirectoryVariable}={bin} holds no {program}");
        }

        return (Dotnet, [Path.Combine(AppContext.BaseDirectory, program + ".dll"), .. arguments]);
    }

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

    public static Task<ProcessResult> PkiAsync(string pkiDirectory, params string[] arguments)
    {
        var (file, all) = Command("securecam-pki", ["--pki", pkiDirectory, .. arguments]);
        return ExternalProcess.RunAsync(file, all, environment: CleanEnvironment(), timeout: TimeSpan.FromSeconds(60));
    }

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
        var server = StartSecureCam(
            ["serve", "--pki", pkiDirectory, "--listen", $"https://127.0.0.1:{port}", "--camera", "synthetic"],
            workingDirectory,
            CleanEnvironment(environment));
        await server.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(90));
        return server;
    }
}
