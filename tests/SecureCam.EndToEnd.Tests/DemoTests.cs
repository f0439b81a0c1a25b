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

    [SkippableFact]
    public async Task The_readme_run_command_from_the_repository_root_keeps_the_pki_there_and_every_printed_path_works_pasted_in_the_same_shell()
    {
        // `dotnet run` builds from the sources; the published binaries are tested by the other demo tests.
        Skip.If(Programs.BinDirectory is not null, $"{Programs.BinDirectoryVariable} is set: this test runs the sources");
        Peer.Require("curl");

        // The README's line as written, run from the root of a copy of the sources: the demo writes keys into
        // ./pki, and the checkout's own pki/ must hold only README.md and .gitignore.
        var readmeLine = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"))
            .Select(l => l.Split('#')[0].Trim())
            .First(l => l.StartsWith("dotnet run --project src/SecureCam.Server", StringComparison.Ordinal) && l.EndsWith("-- demo", StringComparison.Ordinal));
        Assert.Equal("dotnet run --project src/SecureCam.Server -- demo", readmeLine);
        using var root = new TempDirectory("securecam-readme");
        CopySources(RepositoryPaths.Root, root.Path);

        var port = FreePort.Tcp();
        var environment = Programs.CleanEnvironment(new()
        {
            // Only the port differs from the README's run (8443 may be taken on a shared machine).
            ["SECURECAM__SERVER__LISTEN"] = $"https://127.0.0.1:{port}",
            // A nested build must not leave compiler or MSBuild servers behind, nor see the test host's MSBuild.
            ["UseSharedCompilation"] = "false",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBuildSDKsPath"] = null,
            ["MSBUILD_EXE_PATH"] = null,
            ["MSBuildExtensionsPath"] = null,
            ["MSBuildLoadMicrosoftTargetsReadOnly"] = null,
        });
        await using var demo = ExternalProcess.Start("/bin/sh", ["-c", "exec " + readmeLine], root.Path, environment);
        await demo.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromMinutes(8));
        var output = demo.Output;

        Assert.True(File.Exists(root.Combine("pki", "ca.crt")), output);
        Assert.False(Directory.Exists(root.Combine("src", "SecureCam.Server", "pki")), "the demo made its PKI in the project folder");
        string[] printedFiles =
        [
            After(output, "Client certificate for a phone or browser: "),
            After(output, "Also trust the demo CA on that device: "),
            After(output, "(kept for the demo only in ").Split(',')[0],
        ];
        foreach (var printed in printedFiles)
        {
            Assert.True(File.Exists(Path.Combine(root.Path, printed)), $"printed path '{printed}' does not exist from where the command ran");
        }

        var curlLine = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("curl ", StringComparison.Ordinal));
        var curl = await ExternalProcess.RunAsync("/bin/sh", ["-c", curlLine + " -sS"], root.Path);
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal([0xFF, 0xD8], (await File.ReadAllBytesAsync(root.Combine("snap.jpg")))[..2]);
    }

    [SkippableFact]
    public async Task The_demo_puts_its_pki_where_securecam_pki_points_and_its_quoted_curl_line_works_pasted_in_a_shell()
    {
        Peer.Require("curl");
        using var folder = new TempDirectory("securecam-demo");
        var port = FreePort.Tcp();
        await using var demo = Programs.StartSecureCam(
            ["demo", "--listen", $"https://127.0.0.1:{port}"], folder.Path, Programs.CleanEnvironment(new() { ["SECURECAM_PKI"] = "my keys" }));
        await demo.WaitForOutputAsync("Press Ctrl+C", StartTimeout);

        Assert.True(File.Exists(folder.Combine("my keys", "ca.crt")), demo.Output);
        Assert.False(Directory.Exists(folder.Combine("pki")));
        var curlLine = demo.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("curl ", StringComparison.Ordinal));
        Assert.Contains("--cacert 'my keys/ca.crt'", curlLine, StringComparison.Ordinal);
        var curl = await ExternalProcess.RunAsync("/bin/sh", ["-c", curlLine + " -sS"], folder.Path);
        Assert.True(curl.ExitCode == 0, curl.ToString());
        Assert.Equal([0xFF, 0xD8], (await File.ReadAllBytesAsync(folder.Combine("snap.jpg")))[..2]);
        Assert.Equal(0, await demo.InterruptAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>What a copy of the repository needs to build and run the server: src/ without build output, the root props, the pki folder.</summary>
    private static void CopySources(string from, string to)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "README.md", "pki/README.md", "pki/.gitignore" })
        {
            var target = Path.Combine(to, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(from, file), target);
        }

        var source = new DirectoryInfo(Path.Combine(from, "src"));
        foreach (var file in source.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source.FullName, file.FullName);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "pki"))
            {
                continue;
            }

            var target = Path.Combine(to, "src", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            file.CopyTo(target);
        }
    }

    private static string After(string output, string prefix) =>
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    private static RunningProcess StartDemo(string folder, int port) =>
        Programs.StartSecureCam(["demo", "--listen", $"https://127.0.0.1:{port}"], folder);

    [GeneratedRegex(@"its password: (\S+)")]
    private static partial Regex PasswordLine();
}
