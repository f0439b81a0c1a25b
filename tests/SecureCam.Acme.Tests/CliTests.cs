using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>`securecam acme issue` as a script would run it, against Pebble.</summary>
public sealed class CliTests
{
    [SkippableFact]
    public async Task Acme_issue_writes_a_verifiable_fullchain_and_a_0600_key_and_says_so_in_one_line()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var temp = new TempDirectory();
        var output = temp.Combine("out");

        var run = await SecureCamCli.RunAsync(
            "acme", "issue", "--directory", pebble.DirectoryUri.AbsoluteUri, "--domain", "cli.securecam.test", "--email", "cli@securecam.test",
            "--challenge", "tls-alpn-01", "--tls-port", pebble.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--trust", pebble.TrustRootPath, "--accept-tos", "--out", output);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("issued cli.securecam.test: serial ", run.StandardOutput, StringComparison.Ordinal);
        Assert.Single(run.StandardOutput.Trim().Split('\n'));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(output, "key.pem")));
        }

        using var issued = AcmeCertificate.FromPem(
            await File.ReadAllTextAsync(Path.Combine(output, "fullchain.pem")),
            await File.ReadAllTextAsync(Path.Combine(output, "key.pem")));
        var (root, _) = await pebble.GetIssuersAsync();
        var verify = await OpensslVerify.ChainAsync(temp.Path, issued, root, OpensslVerify.ChainPem(issued));
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [SkippableFact]
    public async Task Acme_issue_fails_with_one_line_for_terms_a_dead_server_and_an_unanswerable_challenge()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var temp = new TempDirectory();
        string[] common = ["acme", "issue", "--directory", pebble.DirectoryUri.AbsoluteUri, "--domain", "cli.securecam.test", "--trust", pebble.TrustRootPath, "--out", temp.Path];

        var terms = await SecureCamCli.RunAsync(common);
        var unanswered = await SecureCamCli.RunAsync([.. common, "--accept-tos", "--http-port", FreePort.Tcp().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await pebble.StopAsync();
        var down = await SecureCamCli.RunAsync([.. common, "--accept-tos"]);

        AssertOneLineError(terms, "add --accept-tos");
        AssertOneLineError(unanswered, "http-01 challenge for cli.securecam.test failed");
        AssertOneLineError(down, "cannot be reached");
        Assert.False(File.Exists(Path.Combine(temp.Path, "key.pem")));
    }

    private static void AssertOneLineError(ProcessResult run, string expected)
    {
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.StandardOutput);
        var line = Assert.Single(run.StandardError.Trim().Split('\n'));
        Assert.StartsWith("securecam acme issue: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
