using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

/// <summary>Both .p12 formats, read by OpenSSL 3 without -legacy, with the right password and not with a wrong one.</summary>
public sealed class Pkcs12Tests
{
    [SkippableTheory]
    [InlineData(Pkcs12Format.Legacy, "pbeWithSHA1And3-KeyTripleDES-CBC", "MAC: sha1")]
    [InlineData(Pkcs12Format.Modern, "PBES2, PBKDF2, AES-256-CBC", "MAC: sha256")]
    public async Task Openssl_reads_the_p12_with_its_password_only(Pkcs12Format format, string cipher, string mac)
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueClient(new ClientCertificateRequest("phone") { Pkcs12Format = format });
        Assert.True(issued.Pkcs12PasswordGenerated);
        var password = issued.Pkcs12Password!;

        var info = await OpenSslCli.RunOkAsync("pkcs12", "-in", issued.Pkcs12Path!, "-passin", "pass:" + password, "-info", "-noout");
        Assert.Contains(cipher, info);
        Assert.Contains(mac, info);

        // Key, client certificate and CA certificate are all inside.
        var contents = await OpenSslCli.RunOkAsync("pkcs12", "-in", issued.Pkcs12Path!, "-passin", "pass:" + password, "-nodes");
        Assert.Contains("BEGIN PRIVATE KEY", contents);
        Assert.Contains("subject=O = SecureCam, OU = viewer, CN = phone", contents);
        Assert.Contains("subject=O = SecureCam, CN = SecureCam Home CA", contents);

        var wrong = await OpenSslCli.RunAsync("pkcs12", "-in", issued.Pkcs12Path!, "-passin", "pass:not-" + password, "-noout");
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("invalid password", wrong.Combined, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task A_given_password_is_used_and_not_reported_as_generated()
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueClient(new ClientCertificateRequest("tablet") { Pkcs12Password = "correct horse battery staple" });
        Assert.False(issued.Pkcs12PasswordGenerated);
        await OpenSslCli.RunOkAsync("pkcs12", "-in", issued.Pkcs12Path!, "-passin", "pass:correct horse battery staple", "-noout");
    }

    [Fact]
    public void The_password_is_stored_nowhere()
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueClient("phone");
        foreach (var file in Directory.EnumerateFiles(test.Store.Directory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(issued.Pkcs12Password!, File.ReadAllText(file));
        }
    }

    [Fact]
    public void Generated_passwords_are_long_and_different()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => PasswordGenerator.New()).ToList();
        Assert.Equal(50, passwords.Distinct().Count());
        Assert.All(passwords, p => Assert.Equal(29, p.Length));
    }
}
