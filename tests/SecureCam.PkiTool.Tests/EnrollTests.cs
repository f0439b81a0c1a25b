using System.Text.Json;
using System.Text.RegularExpressions;
using SecureCam.Pki;
using SecureCam.TestSupport;

namespace SecureCam.PkiTool.Tests;

public sealed partial class EnrollTests
{
    [SkippableFact]
    public async Task Enroll_prints_a_qr_code_whose_png_decodes_to_exactly_the_printed_link()
    {
        var zbarimg = Peer.Require("zbarimg", "zbar-tools");
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        var png = temp.Combine("link.png");
        var result = await PkiToolRunner.RunOkAsync(pki, "enroll", "alice-phone", "--url-base", "https://192.168.1.20:8444", "--qr-png", png);

        var link = LinkLine().Match(result.StandardOutput);
        Assert.True(link.Success, result.ToString());
        var decoded = await ExternalProcess.RunAsync(zbarimg, ["--quiet", "--raw", png], timeout: TimeSpan.FromSeconds(30));
        Assert.True(decoded.ExitCode == 0, decoded.ToString());
        Assert.Equal(link.Groups[1].Value, decoded.StandardOutput.Trim());
        Assert.Matches("^https://192\\.168\\.1\\.20:8444/enroll/[A-Za-z0-9_-]{22}$", link.Groups[1].Value);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(AtomicFile.Secret, File.GetUnixFileMode(png));
        }

        // The code drawn in the terminal decodes too: its half blocks turned back into pixels (a plain PBM image).
        var terminalImage = temp.Combine("terminal.pbm");
        await File.WriteAllTextAsync(terminalImage, TerminalCodeAsPbm(result.StandardOutput));
        var fromTerminal = await ExternalProcess.RunAsync(zbarimg, ["--quiet", "--raw", terminalImage], timeout: TimeSpan.FromSeconds(30));
        Assert.True(fromTerminal.ExitCode == 0, fromTerminal.ToString());
        Assert.Equal(link.Groups[1].Value, fromTerminal.StandardOutput.Trim());

        // The password is neither in the link nor in the code.
        var password = PasswordLine().Match(result.StandardOutput).Groups[1].Value;
        Assert.Matches("^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$", password);
        Assert.Contains("▀", result.StandardOutput);
        Assert.DoesNotContain(password, decoded.StandardOutput);
        var fingerprint = (await OpenSslCli.RunOkAsync("x509", "-in", Path.Combine(pki, "ca.crt"), "-noout", "-fingerprint", "-sha256")).Trim().Split('=')[1];
        Assert.Contains($"CA fingerprint: {fingerprint}", result.StandardOutput);
    }

    [Fact]
    public async Task Enroll_warns_when_the_server_certificate_does_not_name_the_links_host_or_address()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(pki, "issue-server", "server", "--dns", "cam.local", "--ip", "192.168.1.20", "--ip", "fd00::20");

        foreach (var (urlBase, named) in new[]
        {
            ("https://cam.local:8444", true),
            ("https://CAM.local:8444", true),
            ("https://192.168.1.20:8444", true),
            ("https://[fd00::20]:8444", true),
            ("https://other.local:8444", false),
            ("https://192.168.1.21:8444", false),
            ("https://[fd00::21]:8444", false),
        })
        {
            var result = await PkiToolRunner.RunOkAsync(pki, "enroll", $"phone-{Guid.NewGuid():N}"[..20], "--url-base", urlBase);
            Assert.True(named != result.StandardError.Contains("does not name", StringComparison.Ordinal), $"{urlBase}: {result}");
        }
    }

    [SkippableFact]
    public async Task Enroll_json_gives_url_password_fingerprint_and_expiry_and_the_p12_opens_with_that_password_in_openssl_and_pk12util()
    {
        var pk12util = Peer.Require("pk12util", "libnss3-tools");
        var certutil = Peer.Require("certutil", "libnss3-tools");
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        var before = DateTimeOffset.UtcNow;
        var result = await PkiToolRunner.RunOkAsync(pki, "enroll", "bob-phone", "--role", "admin", "--ttl", "3", "--url-base", "https://cam.local:9444", "--json");

        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.StartsWith("https://cam.local:9444/enroll/", root.GetProperty("url").GetString());
        var password = root.GetProperty("password").GetString()!;
        var expires = root.GetProperty("expires").GetDateTimeOffset();
        Assert.InRange(expires, before.AddMinutes(3).AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(3));
        Assert.Equal(95, root.GetProperty("caFingerprint").GetString()!.Length);

        var p12 = Path.Combine(pki, "issued", "bob-phone", "bob-phone.p12");
        var opened = await OpenSslCli.RunOkAsync("pkcs12", "-in", p12, "-passin", "pass:" + password, "-nokeys", "-clcerts");
        Assert.Contains("CN=bob-phone", opened.Replace(" = ", "=", StringComparison.Ordinal));
        Assert.Contains("OU=admin", opened.Replace(" = ", "=", StringComparison.Ordinal));
        var wrong = await OpenSslCli.RunAsync("pkcs12", "-in", p12, "-passin", "pass:wrong-password", "-nokeys");
        Assert.NotEqual(0, wrong.ExitCode);

        var db = temp.Combine("nssdb");
        Directory.CreateDirectory(db);
        var created = await ExternalProcess.RunAsync(certutil, ["-N", "-d", "sql:" + db, "--empty-password"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(created.ExitCode == 0, created.ToString());
        var imported = await ExternalProcess.RunAsync(pk12util, ["-i", p12, "-d", "sql:" + db, "-W", password], timeout: TimeSpan.FromSeconds(30));
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var listed = await ExternalProcess.RunAsync(certutil, ["-L", "-d", "sql:" + db], timeout: TimeSpan.FromSeconds(30));
        Assert.Contains("bob-phone", listed.StandardOutput);
    }

    [SkippableFact]
    public async Task List_shows_which_keys_are_on_the_box_and_forget_key_deletes_one()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(pki, "issue-client", "laptop");
        await PkiToolRunner.RunOkAsync(pki, "enroll", "phone", "--url-base", "https://127.0.0.1:8444", "--json");

        var table = (await PkiToolRunner.RunOkAsync(pki, "list")).StandardOutput;
        Assert.Matches(@"(?m)^NAME\s+KIND\s+ROLE\s+SERIAL\s+NOT-AFTER\s+STATUS\s+KEY$", table);
        Assert.Matches(@"(?m)^laptop\s.*\son box$", table);

        var forgot = await PkiToolRunner.RunOkAsync(pki, "forget-key", "laptop");
        Assert.Contains("laptop.p12", forgot.StandardOutput);
        Assert.False(File.Exists(Path.Combine(pki, "issued", "laptop", "key.pem")));
        Assert.True(File.Exists(Path.Combine(pki, "issued", "laptop", "cert.pem")));
        Assert.Matches(@"(?m)^laptop\s.*\svalid\s+-$", (await PkiToolRunner.RunOkAsync(pki, "list")).StandardOutput);

        using var json = JsonDocument.Parse((await PkiToolRunner.RunOkAsync(pki, "list", "--json")).StandardOutput);
        var keys = json.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("keyOnBox").GetBoolean());
        Assert.False(keys["laptop"]);
        Assert.True(keys["phone"]);

        // Renew still works without the key, and brings a new one onto the box.
        await PkiToolRunner.RunOkAsync(pki, "renew", "laptop");
        Assert.StartsWith("Deleted ", (await PkiToolRunner.RunOkAsync(pki, "forget-key", "laptop")).StandardOutput);
        Assert.StartsWith("No key of 'laptop'", (await PkiToolRunner.RunOkAsync(pki, "forget-key", "laptop")).StandardOutput);
        PkiToolRunner.AssertOneLineError(await PkiToolRunner.RunAsync(pki, "forget-key", "nobody"), "no certificate named 'nobody'");
    }

    [SkippableFact]
    public async Task Enroll_refuses_a_taken_name_a_bad_ttl_and_a_bad_url_base_with_one_line()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(pki, "issue-client", "taken");
        PkiToolRunner.AssertOneLineError(await PkiToolRunner.RunAsync(pki, "enroll", "taken", "--url-base", "https://127.0.0.1:8444"), "'taken' already exists");
        PkiToolRunner.AssertOneLineError(await PkiToolRunner.RunAsync(pki, "enroll", "p", "--ttl", "0", "--url-base", "https://127.0.0.1:8444"), "--ttl");
        PkiToolRunner.AssertOneLineError(await PkiToolRunner.RunAsync(pki, "enroll", "p", "--url-base", "http://127.0.0.1:8444"), "--url-base");
        Assert.False(Directory.Exists(Path.Combine(pki, "issued", "p")));
    }

    /// <summary>The terminal's QR code (lines of ' ', '▀', '▄', '█') as a P1 PBM, 4 pixels per module.</summary>
    private static string TerminalCodeAsPbm(string output)
    {
        const int Scale = 4;
        var lines = output.Split('\n')
            .SkipWhile(l => !l.Contains('█', StringComparison.Ordinal) && !l.Contains('▀', StringComparison.Ordinal))
            .TakeWhile(l => !l.Contains("link:", StringComparison.Ordinal))
            .Where(l => l.Length > 0)
            .ToList();
        var width = lines.Max(l => l.Length);
        var rows = new List<bool[]>();
        foreach (var line in lines)
        {
            var upper = new bool[width];
            var lower = new bool[width];
            for (var i = 0; i < line.Length; i++)
            {
                upper[i] = line[i] is '█' or '▀';
                lower[i] = line[i] is '█' or '▄';
            }

            rows.Add(upper);
            rows.Add(lower);
        }

        // A white margin, as the terminal's blank lines around the code give.
        var border = 4;
        var pixels = new System.Text.StringBuilder($"P1\n{(width + 2 * border) * Scale} {(rows.Count + 2 * border) * Scale}\n");
        var blank = new bool[width];
        foreach (var row in Enumerable.Repeat(blank, border).Concat(rows).Concat(Enumerable.Repeat(blank, border)))
        {
            var line = string.Concat(Enumerable.Repeat("0 ", border * Scale))
                + string.Concat(row.Select(dark => string.Concat(Enumerable.Repeat(dark ? "1 " : "0 ", Scale))))
                + string.Concat(Enumerable.Repeat("0 ", border * Scale));
            for (var i = 0; i < Scale; i++)
            {
                pixels.Append(line).Append('\n');
            }
        }

        return pixels.ToString();
    }

    [GeneratedRegex(@"link:\s+(\S+)")]
    private static partial Regex LinkLine();

    [GeneratedRegex(@"\.p12 password:\s+(\S+)")]
    private static partial Regex PasswordLine();
}
