using System.Net;
using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

/// <summary>Server, client and device certificates, judged by `openssl verify` and `openssl x509`.</summary>
public sealed class IssuanceTests
{
    [SkippableFact]
    public async Task Server_certificate_verifies_and_carries_names_purpose_and_validity()
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueServer(new ServerCertificateRequest("server")
        {
            DnsNames = ["localhost", "cam.local", "*.cams.home.arpa"],
            IpAddresses = [IPAddress.Loopback, IPAddress.Parse("192.168.1.20"), IPAddress.IPv6Loopback, IPAddress.Parse("fd12::5")],
        });

        var verify = await OpenSslCli.RunOkAsync("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", test.Store.CaCertificatePath, issued.CertificatePath);
        Assert.Contains(": OK", verify);
        var text = await OpenSslCli.RunOkAsync("x509", "-in", issued.CertificatePath, "-noout", "-text");
        Assert.Contains("DNS:localhost, DNS:cam.local, DNS:*.cams.home.arpa, IP Address:127.0.0.1, IP Address:192.168.1.20, IP Address:0:0:0:0:0:0:0:1, IP Address:FD12:0:0:0:0:0:0:5", text);
        Assert.Contains("TLS Web Server Authentication", text);
        Assert.DoesNotContain("TLS Web Client Authentication", text);
        Assert.Contains("X509v3 Authority Key Identifier", text);
        Assert.Contains("CA:FALSE", text);

        var notBefore = issued.Certificate.NotBefore.ToUniversalTime();
        var notAfter = issued.Certificate.NotAfter.ToUniversalTime();
        Assert.InRange(DateTime.UtcNow - notBefore, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(65));
        Assert.InRange((notAfter - notBefore).TotalDays, 397, 397.1);

        // The chain file is what a TLS server sends: the leaf, then the CA.
        var chain = await File.ReadAllTextAsync(issued.ChainPath);
        Assert.Equal(2, chain.Split("BEGIN CERTIFICATE").Length - 1);
    }

    [Theory]
    [InlineData(826)]
    [InlineData(0)]
    public void Server_validity_is_capped_at_825_days(int days)
    {
        using var test = new TestCa();
        var error = Assert.Throws<PkiException>(() => test.Ca.IssueServer(new ServerCertificateRequest("s") { DnsNames = ["cam.lan"], Days = days }));
        Assert.Contains("--days", error.Message);
        Assert.Empty(test.Store.ReadIndex().Entries);
    }

    [Fact]
    public void Server_at_825_days_is_allowed()
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueServer(new ServerCertificateRequest("s") { DnsNames = ["cam.lan"], Days = 825 });
        Assert.InRange((issued.Entry.NotAfter - issued.Entry.NotBefore).TotalDays, 825, 825.1);
    }

    [Fact]
    public void Server_without_any_name_is_refused()
    {
        using var test = new TestCa();
        var error = Assert.Throws<PkiException>(() => test.Ca.IssueServer(new ServerCertificateRequest("s")));
        Assert.Contains("at least one", error.Message);
    }

    // Names with and without dots: OpenSSL checks a dotted CommonName against the DNS constraints
    // when the certificate has no DNS name, so both kinds must be proven to verify.
    [SkippableTheory]
    [InlineData("alice")]
    [InlineData("alice.phone")]
    [InlineData("bob_s-ipad.2")]
    [InlineData("Kitchen.Tablet.2024")]
    public async Task Client_certificate_verifies_under_the_constraints(string name)
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueClient(new ClientCertificateRequest(name) { Role = ClientRole.Admin });

        var verify = await OpenSslCli.RunOkAsync("verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", test.Store.CaCertificatePath, issued.CertificatePath);
        Assert.Contains(": OK", verify);
        var text = await OpenSslCli.RunOkAsync("x509", "-in", issued.CertificatePath, "-noout", "-subject", "-ext", "extendedKeyUsage");
        Assert.Contains($"subject=O = SecureCam, OU = admin, CN = {name}", text);
        Assert.Contains("TLS Web Client Authentication", text);
        Assert.DoesNotContain("Server Authentication", text);
        Assert.Equal(ClientRole.Admin, CertificateProfiles.ReadRole(issued.Certificate));
    }

    [SkippableTheory]
    [InlineData("cam1")]
    [InlineData("cam1.front-door")]
    public async Task Device_certificate_verifies_under_the_constraints(string name)
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueDevice(name);

        var verify = await OpenSslCli.RunOkAsync("verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", test.Store.CaCertificatePath, issued.CertificatePath);
        Assert.Contains(": OK", verify);
        var key = await OpenSslCli.RunOkAsync("pkey", "-in", issued.KeyPath, "-noout", "-text");
        Assert.Contains("prime256v1", key);
        Assert.Null(issued.Pkcs12Path);
        Assert.False(File.Exists(test.Store.Pkcs12Path(name)));
        Assert.Null(CertificateProfiles.ReadRole(issued.Certificate));
    }

    [Fact]
    public void Serials_are_positive_and_distinct()
    {
        using var test = new TestCa();
        for (var i = 0; i < 10; i++)
        {
            test.Ca.IssueDevice($"d{i}");
        }

        var serials = test.Store.ReadIndex().Entries.Select(e => e.Serial).ToList();
        Assert.Equal(10, serials.Distinct().Count());
        Assert.All(serials, s => Assert.True(Convert.FromHexString(s)[0] is > 0 and < 0x80, s));
    }

    [Fact]
    public void Each_certificate_gets_its_own_key()
    {
        using var test = new TestCa();
        var a = test.Ca.IssueDevice("a");
        var b = test.Ca.IssueDevice("b");
        Assert.NotEqual(File.ReadAllText(a.KeyPath), File.ReadAllText(b.KeyPath));
    }
}
