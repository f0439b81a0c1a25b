using System.Net;
using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

public sealed class NameConstraintTests
{
    [SkippableTheory]
    [InlineData("www.example.com", null)]
    [InlineData("bank.com", null)]
    [InlineData("evil-local", null)]
    [InlineData(null, "8.8.8.8")]
    [InlineData(null, "2001:db8::1")]
    public async Task A_forged_certificate_outside_the_constraints_is_rejected_by_openssl(string? dns, string? ip)
    {
        using var test = new TestCa();
        var path = Forgery.Forge(
            test,
            "forged.pem",
            "forged",
            dns is null ? [] : [dns],
            ip is null ? [] : [IPAddress.Parse(ip)],
            CertificateProfiles.ServerAuthOid);

        var result = await OpenSslCli.RunAsync("verify", "-CAfile", test.Store.CaCertificatePath, path);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("permitted subtree violation", result.Combined);

        // And the library's own verifier (the platform chain engine) agrees.
        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(path);
        Assert.False(CertificateVerifier.Verify(test.Store, certificate).IsValid);
    }

    [SkippableFact]
    public async Task The_same_forgery_inside_the_constraints_verifies_so_the_rejection_is_about_the_name()
    {
        using var test = new TestCa();
        var path = Forgery.Forge(test, "inside.pem", "inside", ["cam.home.arpa"], [IPAddress.Parse("10.1.2.3")], CertificateProfiles.ServerAuthOid);
        var result = await OpenSslCli.RunAsync("verify", "-CAfile", test.Store.CaCertificatePath, path);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [SkippableTheory]
    [InlineData("alice.phone")]
    [InlineData("bob_s.ipad")]
    public async Task A_dotted_common_name_without_a_dns_name_is_checked_by_openssl(string commonName)
    {
        // Why clients like "alice.phone" get an identity DNS name: without one, OpenSSL reads the CN as a host.
        using var test = new TestCa();
        var path = Forgery.Forge(test, "dotted.pem", commonName, [], [], CertificateProfiles.ClientAuthOid);
        var result = await OpenSslCli.RunAsync("verify", "-CAfile", test.Store.CaCertificatePath, path);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("permitted subtree violation", result.Combined);
    }

    [SkippableFact]
    public async Task Without_constraints_any_name_verifies()
    {
        using var test = new TestCa(new CaOptions { NameConstraints = null });
        var issued = test.Ca.IssueServer(new ServerCertificateRequest("www") { DnsNames = ["www.example.com"] });
        await OpenSslCli.RunOkAsync("verify", "-CAfile", test.Store.CaCertificatePath, issued.CertificatePath);
    }

    [SkippableFact]
    public async Task Added_names_are_permitted_and_verify()
    {
        var constraints = NameConstraints.Default.With(["cams.example.org"], [IpSubnet.Parse("203.0.113.0/24")]);
        using var test = new TestCa(new CaOptions { NameConstraints = constraints });
        var issued = test.Ca.IssueServer(new ServerCertificateRequest("s")
        {
            DnsNames = ["door.cams.example.org"],
            IpAddresses = [IPAddress.Parse("203.0.113.7")],
        });
        await OpenSslCli.RunOkAsync("verify", "-CAfile", test.Store.CaCertificatePath, issued.CertificatePath);
        Assert.Throws<PkiException>(() => test.Ca.IssueServer(new ServerCertificateRequest("t") { DnsNames = ["example.org"] }));
    }

    [Theory]
    [InlineData("www.example.com")]
    [InlineData("localhost.example.com")]
    [InlineData("xlocal")]
    [InlineData("raspberrypi")]
    public void The_ca_refuses_a_dns_name_outside_its_constraints(string name)
    {
        using var test = new TestCa();
        var error = Assert.Throws<PkiException>(() => test.Ca.IssueServer(new ServerCertificateRequest("s") { DnsNames = [name] }));
        Assert.Contains("do not permit", error.Message);
        Assert.Empty(test.Store.ReadIndex().Entries);
        Assert.False(Directory.Exists(test.Store.EntryDirectory("s")));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("100.128.0.1")]
    [InlineData("172.32.0.1")]
    [InlineData("2001:db8::1")]
    public void The_ca_refuses_an_address_outside_its_constraints(string address)
    {
        using var test = new TestCa();
        var error = Assert.Throws<PkiException>(() => test.Ca.IssueServer(new ServerCertificateRequest("s") { IpAddresses = [IPAddress.Parse(address)] }));
        Assert.Contains("do not permit", error.Message);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("cam.localhost", true)]
    [InlineData("cam.local", true)]
    [InlineData("a.b.home.arpa", true)]
    [InlineData("CAM.LAN", true)]
    [InlineData("lan", true)]
    [InlineData("plan", false)]
    [InlineData("home.arpa.com", false)]
    public void Dns_names_match_subtrees_the_way_openssl_does(string name, bool permitted) =>
        Assert.Equal(permitted, NameConstraints.Default.Permits(name));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.255.255.255", true)]
    [InlineData("172.31.0.1", true)]
    [InlineData("192.168.0.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("100.127.255.255", true)]
    [InlineData("169.254.1.1", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("192.169.0.1", false)]
    [InlineData("2a00::1", false)]
    public void Addresses_match_the_private_ranges(string address, bool permitted) =>
        Assert.Equal(permitted, NameConstraints.Default.Permits(IPAddress.Parse(address)));

    [Fact]
    public void The_extension_reads_back_as_written()
    {
        using var test = new TestCa(new CaOptions { NameConstraints = NameConstraints.Default.With(["extra.example"], [IpSubnet.Parse("198.51.100.0/24")]) });
        var read = NameConstraints.FromCertificate(test.Ca.Certificate)!;
        Assert.Equal(["local", "home.arpa", "lan", "localhost", "extra.example"], read.PermittedDns);
        Assert.Contains(IpSubnet.Parse("198.51.100.0/24"), read.PermittedIp);
        Assert.Equal(10, read.PermittedIp.Count);
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("1.2.3")]
    [InlineData("10.0.0.0/x")]
    [InlineData("fe80::1%eth0")]
    public void Bad_networks_are_refused(string text) => Assert.Throws<PkiException>(() => IpSubnet.Parse(text));
}
