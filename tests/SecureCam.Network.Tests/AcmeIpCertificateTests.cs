using System.Net;
using SecureCam.Network.Addresses;
using SecureCam.Network.Doctor;
using SecureCam.Network.Nat;

namespace SecureCam.Network.Tests;

/// <summary>The doctor's ACME verdict for a public static IPv4 address with no DNS name.</summary>
public sealed class AcmeIpCertificateTests
{
    private static readonly InterfaceAddress Lan = new("eth0", IPAddress.Parse("192.168.1.20"), true);

    [Fact]
    public void A_box_holding_a_public_ipv4_without_a_dns_name_is_told_the_ip_certificate_and_its_settings()
    {
        var addresses = new[] { new InterfaceAddress("eth0", IPAddress.Parse("198.51.100.7"), true) };

        var finding = Assess(wanIp: null, addresses, []);

        Assert.NotNull(finding);
        Assert.Equal(Severity.Ok, finding.Severity);
        Assert.Equal("acme-ip", finding.Area);
        Assert.StartsWith("an ACME IP-address certificate is possible (Let's Encrypt shortlived) for 198.51.100.7: this box holds", finding.Text, StringComparison.Ordinal);
        Assert.Contains("Acme:Identifiers=[\"198.51.100.7\"], Acme:Profile=shortlived", finding.Advice, StringComparison.Ordinal);
        Assert.Contains("Acme:DirectoryUrl=https://acme-v02.api.letsencrypt.org/directory", finding.Advice, StringComparison.Ordinal);
        Assert.StartsWith("If 198.51.100.7 is static", finding.Advice, StringComparison.Ordinal);
        Assert.DoesNotContain("Server:PublicListen", finding.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Behind_a_router_with_a_public_wan_address_the_advice_adds_a_public_listener()
    {
        var finding = Assess(IPAddress.Parse("203.0.113.7"), [Lan], ["203.0.113.7"]);

        Assert.NotNull(finding);
        Assert.Contains("for 203.0.113.7: the router holds", finding.Text, StringComparison.Ordinal);
        Assert.Contains("Server:PublicListen", finding.Advice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.7", "cam.example.org")] // a DNS name: the domain path
    [InlineData("100.64.1.2", null)] // CGNAT: no CA can connect
    [InlineData("192.168.0.2", null)] // double NAT
    [InlineData(null, null)] // unknown
    public void No_ip_certificate_advice_with_a_dns_name_or_without_a_public_address(string? wanIp, string? identifier)
    {
        Assert.Null(Assess(wanIp is null ? null : IPAddress.Parse(wanIp), [Lan], identifier is null ? [] : [identifier]));
    }

    private static Finding? Assess(IPAddress? wanIp, InterfaceAddress[] addresses, string[] identifiers) =>
        AcmeIpCertificate.Assess(NatAssessor.Assess(wanIp, null, addresses), wanIp, null, addresses, identifiers);
}
