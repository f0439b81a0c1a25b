using System.Text.RegularExpressions;
using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// `securecam demo` as a user runs it (<see cref="Programs"/>: the JIT build or the published binary),
/// in an empty working folder where it makes ./pki, on a loopback port.
/// </summary>
internal sealed partial class DemoServer : IAsyncDisposable
{
    private readonly RunningProcess _process;

    private DemoServer(RunningProcess process, string directory, int port, string password)
    {
        _process = process;
        Directory = directory;
        Port = port;
        ViewerPassword = password;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The demo-viewer .p12 password the demo printed.</summary>
    public string ViewerPassword { get; }

    public string CaCertificate => Path.Combine(Directory, "pki", "ca.crt");

    public string ViewerP12 => Path.Combine(Directory, "pki", "issued", "demo-viewer", "demo-viewer.p12");

    public string Output => _process.Output;

    public static async Task<DemoServer> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var port = FreePort.Tcp();
        var process = Programs.StartSecureCam(["demo", "--listen", $"https://127.0.0.1:{port}"], directory);
        try
        {
            await process.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(120), cancellationToken);
            var password = PasswordLine().Match(process.Output);
            if (!password.Success)
            {
                throw new InvalidOperationException("the demo printed no p12 password:\n" + process.Output);
            }

            return new DemoServer(process, directory, port, password.Groups[1].Value);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public Task<int> StopAsync() => _process.InterruptAsync(TimeSpan.FromSeconds(30));

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"its password: (\S+)")]
    private static partial Regex PasswordLine();
}
