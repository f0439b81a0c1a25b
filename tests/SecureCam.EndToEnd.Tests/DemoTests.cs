using System.Text.RegularExpressions;
using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>`securecam demo` as a newcomer runs it: from an empty folder, with nothing but the .NET SDK.</summary>
public sealed partial class DemoTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [SkippableFact]
    public async Task The_demo_starts_from_an_empty_folder_its_curl_line_works_ctrl_c_stops_it_and_a_second_run_reuses_it()
    {
        Peer.Require("curl");
        using var folder = new TempDirectory("securecam-demo");
        var port = FreePort.Tcp();
        string firstPassword;

        await using (var demo = StartDemo(folder.Path, port))
        {
            await demo.WaitForOutputAsync("Press Ctrl+C", StartTimeout);
            var output = demo.Output;
            Assert.Contains("WITHOUT a passphrase", output, StringComparison.Ordinal);
            Assert.Contains("Issued the client certificate 'demo-viewer'", output, StringComparison.Ordinal);
            Assert.Contains($"https://127.0.0.1:{port}/", output, StringComparison.Ordinal);
            Assert.Contains("pki/issued/demo-viewer/demo-viewer.p12", output, StringComparison.Ordinal);
            firstPassword = PasswordLine().Match(output).Groups[1].Value;
            Assert.NotEmpty(firstPassword);

            // The printed curl line, pasted as it is.
            var curlLine = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("curl ", StringComparison.Ordinal));
            Assert.Equal(
                $"curl --cacert pki/ca.crt --cert pki/issued/demo-viewer/cert.pem --key pki/issued/demo-viewer/key.pem https://127.0.0.1:{port}/snapshot -o snap.jpg",
                curlLine);
            var curl = await ExternalProcess.RunAsync(Peer.Require("curl"), curlLine.Split(' ')[1..], workingDirectory: folder.Path);
            Assert.True(curl.ExitCode == 0, curl.ToString());
            var jpeg = await File.ReadAllBytesAsync(folder.Combine("snap.jpg"));
            Assert.Equal([0xFF, 0xD8], jpeg[..2]);

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.Combine("pki", "issued", "demo-viewer", "p12-password.txt")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.Combine("pki", "ca.key")));
            }

            var exit = await demo.InterruptAsync(TimeSpan.FromSeconds(20));
            Assert.True(exit == 0, demo.Output);
            Assert.Contains("securecam: stopped.", demo.Output, StringComparison.Ordinal);
        }

        await using (var again = StartDemo(folder.Path, port))
        {
            await again.WaitForOutputAsync("Press Ctrl+C", StartTimeout);
            Assert.Contains("Reusing the CA", again.Output, StringComparison.Ordinal);
            Assert.Contains("Reusing the client certificate 'demo-viewer'", again.Output, StringComparison.Ordinal);
            Assert.Equal(firstPassword, PasswordLine().Match(again.Output).Groups[1].Value);
            Assert.Equal(0, await again.InterruptAsync(TimeSpan.FromSeconds(20)));
        }
    }

    private static RunningProcess StartDemo(string folder, int port) =>
        ExternalProcess.Start(Programs.Dotnet, [Programs.SecureCam, "demo", "--listen", $"https://127.0.0.1:{port}"], folder, Programs.CleanEnvironment());

    [GeneratedRegex(@"its password: (\S+)")]
    private static partial Regex PasswordLine();
}
