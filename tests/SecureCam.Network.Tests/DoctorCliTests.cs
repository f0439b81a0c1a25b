using System.Net;
using System.Net.Sockets;
using SecureCam.Network.Addresses;
using SecureCam.TestSupport;

namespace SecureCam.Network.Tests;

/// <summary>The doctor verb end to end: the built securecam.dll, real sockets, a fake NTP server, a real PKI folder.</summary>
public sealed class DoctorCliTests
{
    [Fact]
    public async Task A_hostile_public_ip_reply_reaches_the_terminal_escaped()
    {
        using var work = new TempDirectory();
        await using var ntp = new FakeNtpServer(TimeSpan.Zero);
        var port = FreePort.Tcp();
        using var http = new HttpListener();
        http.Prefixes.Add($"http://127.0.0.1:{port}/");
        http.Start();
        var serve = Task.Run(async () =>
        {
            var context = await http.GetContextAsync();
            var bytes = System.Text.Encoding.UTF8.GetBytes("\u001b]0;owned\u0007\u001b[2J\u202Egnp.exe\r1.2.3.4");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        });

        var result = await DoctorCli.RunAsync(
            ["--listen", "https://127.0.0.1:1", "--ntp", $"127.0.0.1:{ntp.Port}", "--pki", work.Combine("pki"), "--wan-ip", "203.0.113.7", "--public-ip-url", $"http://127.0.0.1:{port}/"],
            work.Path);
        await serve.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("\\x1B]0;owned\\x07", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\\u{202E}", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(result.StandardOutput, c => c is '\u001b' or '\u0007' or '\r' or '\u202E');
    }

    [Fact]
    public void Every_control_and_bidi_character_is_escaped_and_the_rest_kept()
    {
        for (var c = 0; c <= 0xFFFF; c++)
        {
            var text = "a" + (char)c + "b";
            var escaped = SecureCam.Network.Doctor.TerminalText.Escape(text);
            Assert.DoesNotContain(escaped, ch => char.IsControl(ch) || ch is '\u202E' or '\u2066' or '\u200F');
            Assert.StartsWith("a", escaped, StringComparison.Ordinal);
            Assert.EndsWith("b", escaped, StringComparison.Ordinal);
        }

        Assert.Equal("nginx: worker", SecureCam.Network.Doctor.TerminalText.Escape("nginx: worker"));
        Assert.Equal("caf\u00e9 \\x1B[31m", SecureCam.Network.Doctor.TerminalText.Escape("caf\u00e9 \u001b[31m"));
    }

    [Fact]
    public async Task Healthy_box_reports_every_field_and_exits_zero_when_nothing_is_a_problem()
    {
        using var work = new TempDirectory();
        var port = FreePort.Tcp(IPAddress.Any);
        using var listener = new TcpListener(IPAddress.Any, port);
        listener.Start();
        await using var ntp = new FakeNtpServer(TimeSpan.Zero);
        var host = Dns.GetHostName();
        var lan = LanAddresses.Read().Select(a => a.ToString()).ToArray();
        CertificateInspectorTests.WriteCertificate(work.Combine("pki"), "server", [host, host + ".local"], lan,
            DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(200), serverAuth: true);

        var result = await DoctorCli.RunAsync(
            ["--json", "--listen", $"https://0.0.0.0:{port}", "--ntp", $"127.0.0.1:{ntp.Port}", "--pki", work.Combine("pki"),
             "--wan-ip", "203.0.113.7", "--public-ip", "203.0.113.7"], work.Path);

        using var json = DoctorCli.ParseJson(result);
        var root = json.RootElement;
        Assert.Contains(root.GetProperty("addresses").EnumerateArray(), a =>
            a.GetProperty("address").GetString() == "127.0.0.1" && a.GetProperty("scope").GetString() == "loopback"
            && a.GetProperty("family").GetString() == "ipv4" && a.GetProperty("interface").GetString() == "lo");
        var mine = Assert.Single(root.GetProperty("listening").EnumerateArray(), l =>
            l.GetProperty("port").GetInt32() == port && l.GetProperty("protocol").GetString() == "tcp");
        Assert.Equal("0.0.0.0", mine.GetProperty("address").GetString());
        Assert.Equal(Environment.ProcessId, mine.GetProperty("pid").GetInt32());
        Assert.False(string.IsNullOrEmpty(mine.GetProperty("process").GetString()));
        Assert.Equal("public", root.GetProperty("nat").GetProperty("verdict").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("nat").GetProperty("reason").GetString()));
        Assert.Equal("possible", root.GetProperty("portForwarding").GetString());
        Assert.True(root.GetProperty("acme").GetProperty("ready").GetBoolean());
        Assert.InRange(root.GetProperty("clock").GetProperty("offsetSeconds").GetDouble(), -1, 1);
        Assert.StartsWith("sntp 127.0.0.1:", root.GetProperty("clock").GetProperty("source").GetString(), StringComparison.Ordinal);
        var certificate = Assert.Single(root.GetProperty("certificates").EnumerateArray());
        Assert.Equal("server", certificate.GetProperty("name").GetString());
        Assert.True(certificate.GetProperty("coversAddresses").GetBoolean());
        Assert.True(certificate.TryGetProperty("notAfter", out _));
        Assert.Contains(root.GetProperty("recommendations").EnumerateArray(), r => r.GetProperty("id").GetString() == "port-forward");

        // A public WAN address and no DNS name configured for ACME: the IP-certificate advice, with its settings
        // (for the machine's own address instead when it holds a public one itself).
        var acmeIp = Assert.Single(root.GetProperty("findings").EnumerateArray(), f => f.GetProperty("area").GetString() == "acme-ip");
        Assert.StartsWith("an ACME IP-address certificate is possible (Let's Encrypt shortlived) for ", acmeIp.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Acme:Profile=shortlived", acmeIp.GetProperty("advice").GetString(), StringComparison.Ordinal);

        var problems = root.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() == "problem").Select(f => f.GetProperty("text").GetString()).ToList();
        // A machine without any LAN address has one honest problem; every other check here must pass.
        Assert.All(problems, p => Assert.StartsWith("no LAN address", p, StringComparison.Ordinal));
        Assert.Equal(lan.Length == 0 ? 1 : 0, problems.Count);
        Assert.Equal(problems.Count == 0 ? 0 : 1, result.ExitCode);
    }

    [Fact]
    public async Task Cgnat_nothing_listening_and_a_wrong_clock_exit_one()
    {
        using var work = new TempDirectory();
        var port = FreePort.Tcp();
        await using var ntp = new FakeNtpServer(TimeSpan.FromSeconds(3600));

        var result = await DoctorCli.RunAsync(
            ["--json", "--listen", $"https://0.0.0.0:{port}", "--ntp", $"127.0.0.1:{ntp.Port}", "--wan-ip", "100.70.1.2"], work.Path);

        Assert.Equal(1, result.ExitCode);
        using var json = DoctorCli.ParseJson(result);
        var root = json.RootElement;
        Assert.Equal("cgnat", root.GetProperty("nat").GetProperty("verdict").GetString());
        Assert.Equal("impossible", root.GetProperty("portForwarding").GetString());
        Assert.False(root.GetProperty("acme").GetProperty("ready").GetBoolean());
        Assert.InRange(root.GetProperty("clock").GetProperty("offsetSeconds").GetDouble(), 3599, 3601);
        var texts = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("text").GetString()!).ToList();
        Assert.Contains($"nothing is listening on TCP port {port} (configured: https://0.0.0.0:{port})", texts);
        var ids = root.GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains("tunnel", ids);
        Assert.Contains("static-ipv4", ids);
    }

    [Fact]
    public async Task Text_report_has_one_line_per_finding_with_advice_under_it()
    {
        using var work = new TempDirectory();
        var port = FreePort.Tcp();
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();

        var result = await DoctorCli.RunAsync(["--listen", $"https://127.0.0.1:{port}", "--ntp", "off", "--wan-ip", "192.168.1.1"], work.Path);

        var lines = result.StandardOutput.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains($"127.0.0.1:{port} is listening", StringComparison.Ordinal));
        Assert.True(index >= 0, result.ToString());
        Assert.StartsWith("  warning  listening:", lines[index], StringComparison.Ordinal);
        Assert.Contains("only this machine", lines[index], StringComparison.Ordinal);
        Assert.StartsWith("           -> ", lines[index + 1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  warning  nat: NAT verdict double-nat", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  [bridge-modem]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Listen_address_comes_from_appsettings_then_environment()
    {
        using var work = new TempDirectory();
        File.WriteAllText(work.Combine("appsettings.json"), """{ "Server": { "Listen": [ "https://127.0.0.1:18443" ] } }""");

        var fromFile = await DoctorCli.RunAsync(["--json", "--ntp", "off"], work.Path);
        var fromEnv = await DoctorCli.RunAsync(["--json", "--ntp", "off"], work.Path,
            new Dictionary<string, string?> { ["SECURECAM__SERVER__LISTEN__0"] = "https://[::]:19443" });
        var fromOption = await DoctorCli.RunAsync(["--json", "--ntp", "off", "--listen", "https://0.0.0.0:20443"], work.Path,
            new Dictionary<string, string?> { ["SECURECAM__SERVER__LISTEN__0"] = "https://[::]:19443" });

        Assert.Equal("https://127.0.0.1:18443", Configured(fromFile));
        Assert.Equal("https://[::]:19443", Configured(fromEnv));
        Assert.Equal("https://0.0.0.0:20443", Configured(fromOption));

        static string? Configured(ProcessResult result)
        {
            using var json = DoctorCli.ParseJson(result);
            return Assert.Single(json.RootElement.GetProperty("configuredListen").EnumerateArray()).GetString();
        }
    }

    [Fact]
    public async Task A_listen_string_from_the_environment_replaces_the_files_list_as_it_does_for_serve()
    {
        // serve reads SECURECAM__SERVER__LISTEN="a;b" as the whole list (SettingsTests); the doctor must check the same two.
        using var work = new TempDirectory();
        File.WriteAllText(work.Combine("appsettings.json"), """{ "Server": { "Listen": [ "https://127.0.0.1:18443", "https://127.0.0.1:18444" ] } }""");

        var result = await DoctorCli.RunAsync(["--json", "--ntp", "off"], work.Path,
            new Dictionary<string, string?> { ["SECURECAM__SERVER__LISTEN"] = "https://[::]:19443;https://0.0.0.0:19444" });

        using var json = DoctorCli.ParseJson(result);
        Assert.Equal(["https://[::]:19443", "https://0.0.0.0:19444"],
            json.RootElement.GetProperty("configuredListen").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_setting_serve_would_refuse_stops_the_doctor_with_the_same_line()
    {
        using var work = new TempDirectory();
        File.WriteAllText(work.Combine("appsettings.json"), """{ "Server": { "Listen": [ "https://camera.example:8443" ] } }""");

        var result = await DoctorCli.RunAsync(["--ntp", "off"], work.Path);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("securecam doctor: Server:Listen:0: 'https://camera.example:8443': the host must be an IP address, 'localhost' or '*' (a name could resolve to anything)", line);
    }

    [Fact]
    public async Task Pki_folder_comes_from_option_then_configuration_then_environment()
    {
        using var work = new TempDirectory();
        foreach (var name in new[] { "by-option", "by-config", "by-env" })
        {
            CertificateInspectorTests.WriteCertificate(work.Combine(name), name, ["cam"], [], DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(90), serverAuth: true);
        }

        File.WriteAllText(work.Combine("extra.json"), """{ "Server": { "PkiDirectory": "by-config", "ServerCertificateName": "by-config" } }""");
        var env = new Dictionary<string, string?> { ["SECURECAM_PKI"] = work.Combine("by-env") };

        Assert.Equal("by-env", await CertificateName(["--json", "--ntp", "off"]));
        Assert.Equal("by-config", await CertificateName(["--json", "--ntp", "off", "--config", "extra.json"]));
        Assert.Equal("by-option", await CertificateName(["--json", "--ntp", "off", "--pki", "by-option"]));

        async Task<string?> CertificateName(string[] arguments)
        {
            using var json = DoctorCli.ParseJson(await DoctorCli.RunAsync(arguments, work.Path, env));
            return Assert.Single(json.RootElement.GetProperty("certificates").EnumerateArray()).GetProperty("name").GetString();
        }
    }

    [Theory]
    [InlineData("--wan-ip", "not-an-ip", "--wan-ip not-an-ip: not an IP address")]
    [InlineData("--listen", "ftp://x:1", "Server:Listen: 'ftp://x:1' must start with https://")]
    [InlineData("--ntp", "host:99999", "Not an NTP server")]
    [InlineData("--config", "missing.json", "--config missing.json: no such file")]
    public async Task Bad_input_is_one_line_on_stderr_and_exit_two(string option, string value, string message)
    {
        using var work = new TempDirectory();

        var result = await DoctorCli.RunAsync([option, value], work.Path);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("securecam doctor: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }
}
