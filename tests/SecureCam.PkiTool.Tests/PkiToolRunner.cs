using System.Text.RegularExpressions;
using SecureCam.TestSupport;

namespace SecureCam.PkiTool.Tests;

/// <summary>
/// Runs the built securecam-pki as a real process (`dotnet securecam-pki.dll …`), the way a person or
/// script does. The build copies the tool next to the tests because this project references it.
/// </summary>
internal static partial class PkiToolRunner
{
    public static string ToolDll => Path.Combine(AppContext.BaseDirectory, "securecam-pki.dll");

    public static Task<ProcessResult> RunAsync(string pkiDirectory, params string[] arguments) =>
        RunWithAsync(pkiDirectory, environment: null, workingDirectory: null, arguments);

    public static Task<ProcessResult> RunWithAsync(
        string? pkiDirectory,
        IDictionary<string, string?>? environment,
        string? workingDirectory,
        params string[] arguments)
    {
        var env = new Dictionary<string, string?>
        {
            // The runner's own environment must not leak a passphrase or a PKI home into a test.
            ["SECURECAM_PKI_PASSPHRASE"] = null,
            ["SECURECAM_PKI"] = null,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        var all = pkiDirectory is null ? arguments : ["--pki", pkiDirectory, .. arguments];
        return ExternalProcess.RunAsync(
            "dotnet",
            [ToolDll, .. all],
            workingDirectory,
            env,
            standardInput: string.Empty,
            timeout: TimeSpan.FromSeconds(120));
    }

    /// <summary>Runs and fails the test with the output unless the exit code is 0.</summary>
    public static async Task<ProcessResult> RunOkAsync(string pkiDirectory, params string[] arguments)
    {
        var result = await RunAsync(pkiDirectory, arguments);
        Assert.True(result.ExitCode == 0, $"securecam-pki {string.Join(' ', arguments)}: {result}");
        return result;
    }

    /// <summary>The generated .p12 password that issue-client prints once.</summary>
    public static string PasswordFrom(ProcessResult result)
    {
        var match = PasswordLine().Match(result.StandardOutput);
        Assert.True(match.Success, "no password line in: " + result);
        return match.Groups[1].Value;
    }

    /// <summary>Asserts the tool's error convention: non-zero exit, exactly one line on stderr, containing the text.</summary>
    public static void AssertOneLineError(ProcessResult result, string expected)
    {
        Assert.True(result.ExitCode != 0, "expected a failure: " + result);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr: " + result);
        Assert.StartsWith("securecam-pki: ", lines[0]);
        Assert.Contains(expected, lines[0]);
    }

    [GeneratedRegex(@"p12 password \(shown once, stored nowhere\): (\S+)")]
    private static partial Regex PasswordLine();
}
