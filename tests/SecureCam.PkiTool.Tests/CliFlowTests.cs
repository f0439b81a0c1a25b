using System.Text.Json;
using SecureCam.TestSupport;

namespace SecureCam.PkiTool.Tests;

/// <summary>The whole life of a PKI through the command line, judged by openssl.</summary>
public sealed class CliFlowTests
{
    [SkippableFact]
    public async Task Init_issue_list_revoke_verify_crl_renew_export()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        var init = await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        Assert.Contains("Made CA", init.StandardOutput);
        var ca = Path.Combine(pki, "ca.crt");

        await PkiToolRunner.RunOkAsync(pki, "issue-server", "server", "--dns", "localhost", "cam.local", "--ip", "127.0.0.1", "::1");
        var serverCert = Path.Combine(pki, "issued", "server", "cert.pem");
        await OpenSslCli.RunOkAsync("verify", "-purpose", "sslserver", "-CAfile", ca, serverCert);
        var sans = await OpenSslCli.RunOkAsync("x509", "-in", serverCert, "-noout", "-ext", "subjectAltName,extendedKeyUsage");
        Assert.Contains("DNS:localhost, DNS:cam.local, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1", sans);
        Assert.Contains("TLS Web Server Authentication", sans);

        var client = await PkiToolRunner.RunOkAsync(pki, "issue-client", "alice.phone", "--role", "admin");
        var password = PkiToolRunner.PasswordFrom(client);
        var p12 = Path.Combine(pki, "issued", "alice.phone", "alice.phone.p12");
        await OpenSslCli.RunOkAsync("pkcs12", "-in", p12, "-passin", "pass:" + password, "-noout");
        var clientCert = Path.Combine(pki, "issued", "alice.phone", "cert.pem");
        await OpenSslCli.RunOkAsync("verify", "-purpose", "sslclient", "-CAfile", ca, clientCert);

        await PkiToolRunner.RunOkAsync(pki, "issue-device", "cam1");
        await OpenSslCli.RunOkAsync("verify", "-purpose", "sslclient", "-CAfile", ca, Path.Combine(pki, "issued", "cam1", "cert.pem"));

        var list = await ListAsync(pki);
        Assert.Equal(["server", "alice.phone", "cam1"], list.Select(e => e.GetProperty("name").GetString()).ToList());
        Assert.Equal(["server", "client", "device"], list.Select(e => e.GetProperty("kind").GetString()).ToList());
        Assert.Equal("admin", list[1].GetProperty("role").GetString());
        Assert.All(list, e => Assert.Equal("valid", e.GetProperty("status").GetString()));

        var verifyGood = await PkiToolRunner.RunAsync(pki, "verify", clientCert);
        Assert.Equal(0, verifyGood.ExitCode);
        Assert.Contains("OK:", verifyGood.StandardOutput);
        Assert.Single(verifyGood.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var crlBefore = await CrlNumberAsync(pki, ca);
        await PkiToolRunner.RunOkAsync(pki, "revoke", "alice.phone", "--reason", "key-compromise");
        var crlText = await OpenSslCli.RunOkAsync("crl", "-in", Path.Combine(pki, "crl.pem"), "-CAfile", ca, "-noout", "-text");
        Assert.Contains("verify OK", crlText);
        Assert.Contains("Serial Number: " + list[1].GetProperty("serial").GetString(), crlText);
        Assert.True(await CrlNumberAsync(pki, ca) > crlBefore);

        var verifyRevoked = await PkiToolRunner.RunAsync(pki, "verify", clientCert);
        Assert.Equal(1, verifyRevoked.ExitCode);
        Assert.Contains("REVOKED:", verifyRevoked.StandardOutput);
        Assert.Contains("keyCompromise", verifyRevoked.StandardOutput);
        Assert.Equal("revoked", (await ListAsync(pki))[1].GetProperty("status").GetString());

        var regenerated = await CrlNumberAsync(pki, ca);
        await PkiToolRunner.RunOkAsync(pki, "crl");
        Assert.True(await CrlNumberAsync(pki, ca) > regenerated);

        var oldServerSerial = list[0].GetProperty("serial").GetString();
        var renew = await PkiToolRunner.RunOkAsync(pki, "renew", "server");
        Assert.Contains("superseded", renew.StandardOutput);
        await OpenSslCli.RunOkAsync("verify", "-crl_check", "-CRLfile", Path.Combine(pki, "crl.pem"), "-CAfile", ca, serverCert);
        var renewedSans = await OpenSslCli.RunOkAsync("x509", "-in", serverCert, "-noout", "-ext", "subjectAltName");
        Assert.Contains("DNS:localhost, DNS:cam.local, IP Address:127.0.0.1", renewedSans);
        var afterRenew = await ListAsync(pki);
        Assert.Equal("revoked", afterRenew.Single(e => e.GetProperty("serial").GetString() == oldServerSerial).GetProperty("status").GetString());
        Assert.Equal("superseded", afterRenew.Single(e => e.GetProperty("serial").GetString() == oldServerSerial).GetProperty("revocationReason").GetString());

        var der = temp.Combine("ca.der");
        await PkiToolRunner.RunOkAsync(pki, "export-ca", "--der", "--out", der);
        var subject = await OpenSslCli.RunOkAsync("x509", "-inform", "der", "-in", der, "-noout", "-subject");
        Assert.Contains("CN = SecureCam Home CA", subject);
        var pem = await PkiToolRunner.RunOkAsync(pki, "export-ca");
        Assert.Equal(File.ReadAllText(ca).Trim(), pem.StandardOutput.Trim());
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Files_get_their_modes_through_the_cli()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(pki, "issue-client", "phone");
        await PkiToolRunner.RunOkAsync(pki, "export-profile", "phone");
        var secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var open = secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Assert.Equal(secret, File.GetUnixFileMode(Path.Combine(pki, "ca.key")));
        Assert.Equal(secret, File.GetUnixFileMode(Path.Combine(pki, "index.json")));
        Assert.Equal(secret, File.GetUnixFileMode(Path.Combine(pki, "issued", "phone", "key.pem")));
        Assert.Equal(secret, File.GetUnixFileMode(Path.Combine(pki, "issued", "phone", "phone.p12")));
        Assert.Equal(secret, File.GetUnixFileMode(Path.Combine(pki, "issued", "phone", "phone.mobileconfig")));
        Assert.Equal(open, File.GetUnixFileMode(Path.Combine(pki, "ca.crt")));
        Assert.Equal(open, File.GetUnixFileMode(Path.Combine(pki, "crl.pem")));
        Assert.Equal(open, File.GetUnixFileMode(Path.Combine(pki, "issued", "phone", "cert.pem")));
        Assert.Equal(open, File.GetUnixFileMode(Path.Combine(pki, "issued", "phone", "chain.pem")));
    }

    [SkippableFact]
    public async Task The_pki_home_comes_from_the_environment_then_the_working_directory()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var fromEnvironment = temp.Combine("env-pki");
        await PkiToolRunner.RunWithAsync(null, new Dictionary<string, string?> { ["SECURECAM_PKI"] = fromEnvironment }, temp.Path, "init", "--no-passphrase");
        Assert.True(File.Exists(Path.Combine(fromEnvironment, "ca.crt")));

        await PkiToolRunner.RunWithAsync(null, null, temp.Path, "init", "--no-passphrase");
        Assert.True(File.Exists(temp.Combine("pki", "ca.crt")));
    }

    [SkippableFact]
    public async Task A_certificate_near_its_end_is_listed_as_expiring()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(pki, "issue-device", "short", "--days", "10");
        Assert.Equal("expiring", (await ListAsync(pki))[0].GetProperty("status").GetString());
        var table = await PkiToolRunner.RunOkAsync(pki, "list");
        Assert.Contains("expiring", table.StandardOutput);
        Assert.StartsWith("NAME", table.StandardOutput);
    }

    [SkippableFact]
    public async Task Added_and_removed_name_constraints_through_the_cli()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var wider = temp.Combine("wider");
        await PkiToolRunner.RunOkAsync(wider, "init", "--no-passphrase", "--permit-dns", "cams.example.org", "--permit-ip", "203.0.113.0/24");
        await PkiToolRunner.RunOkAsync(wider, "issue-server", "s", "--dns", "door.cams.example.org", "--ip", "203.0.113.9");
        await OpenSslCli.RunOkAsync("verify", "-CAfile", Path.Combine(wider, "ca.crt"), Path.Combine(wider, "issued", "s", "cert.pem"));

        var open = temp.Combine("open");
        await PkiToolRunner.RunOkAsync(open, "init", "--no-passphrase", "--no-name-constraints");
        await PkiToolRunner.RunOkAsync(open, "issue-server", "s", "--dns", "www.example.com");
        var text = await OpenSslCli.RunOkAsync("x509", "-in", Path.Combine(open, "ca.crt"), "-noout", "-text");
        Assert.DoesNotContain("Name Constraints", text);
    }

    private static async Task<List<JsonElement>> ListAsync(string pki)
    {
        var result = await PkiToolRunner.RunOkAsync(pki, "list", "--json");
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task<int> CrlNumberAsync(string pki, string ca)
    {
        var text = await OpenSslCli.RunOkAsync("crl", "-in", Path.Combine(pki, "crl.pem"), "-CAfile", ca, "-noout", "-crlnumber");
        var line = text.Split('\n').First(l => l.StartsWith("crlNumber=", StringComparison.Ordinal));
        var hex = line["crlNumber=".Length..].Trim();
        return Convert.ToInt32(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex, 16);
    }

    [Fact]
    public async Task Revoke_is_idempotent_takes_unknown_serials_and_survives_a_restored_index()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(pki, "issue-client", "phone");
        var backup = await File.ReadAllBytesAsync(Path.Combine(pki, "index.json"));

        await PkiToolRunner.RunOkAsync(pki, "revoke", "phone");
        var again = await PkiToolRunner.RunOkAsync(pki, "revoke", "phone");
        Assert.Contains("already revoked", again.StandardOutput, StringComparison.Ordinal);

        var unknown = await PkiToolRunner.RunOkAsync(pki, "revoke", "1234ABCD");
        Assert.Contains("warning: serial 1234ABCD has no entry", unknown.StandardError, StringComparison.Ordinal);

        // The owner restores index.json from before the revocations, as the tool's errors suggest.
        await File.WriteAllBytesAsync(Path.Combine(pki, "index.json"), backup);
        var crl = await PkiToolRunner.RunOkAsync(pki, "crl");
        Assert.Contains("lacked 2 revocation(s)", crl.StandardError, StringComparison.Ordinal);
        Assert.Contains("2 revoked", crl.StandardOutput, StringComparison.Ordinal);
        var list = await PkiToolRunner.RunOkAsync(pki, "list");
        Assert.Contains("revoked", list.StandardOutput.Split('\n').Single(l => l.StartsWith("phone", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
