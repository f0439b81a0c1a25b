using System.Net;
using SecureCam.Network.Addresses;
using SecureCam.Network.Nat;

namespace SecureCam.Network.Tests;

public sealed class NatVerdictTests
{
    private static readonly InterfaceAddress LanOnly = new("eth0", IPAddress.Parse("192.168.1.20"), true);

    [Theory]
    // wan-ip, public-ip, the box's own address, expected verdict
    [InlineData("100.70.1.2", null, "192.168.1.20", NatVerdict.Cgnat)]
    [InlineData("100.64.0.0", "198.51.100.9", "192.168.1.20", NatVerdict.Cgnat)]
    [InlineData("100.127.255.255", null, "192.168.1.20", NatVerdict.Cgnat)]
    [InlineData("100.128.0.1", null, "192.168.1.20", NatVerdict.Public)]
    [InlineData("192.168.1.1", null, "192.168.0.20", NatVerdict.DoubleNat)]
    [InlineData("192.168.1.1", "203.0.113.7", "192.168.0.20", NatVerdict.DoubleNat)]
    [InlineData("10.0.0.2", null, "192.168.1.20", NatVerdict.DoubleNat)]
    [InlineData("172.16.0.2", null, "192.168.1.20", NatVerdict.DoubleNat)]
    [InlineData("203.0.113.7", null, "192.168.1.20", NatVerdict.Public)]
    [InlineData("203.0.113.7", "203.0.113.7", "192.168.1.20", NatVerdict.Public)]
    [InlineData("81.2.69.160", "81.2.69.160", "192.168.1.20", NatVerdict.Public)]
    [InlineData("81.2.69.160", "81.2.69.161", "192.168.1.20", NatVerdict.Unknown)]
    [InlineData("81.2.69.160", "10.1.2.3", "192.168.1.20", NatVerdict.Unknown)]
    [InlineData("127.0.0.1", null, "192.168.1.20", NatVerdict.Unknown)]
    [InlineData("169.254.1.1", null, "192.168.1.20", NatVerdict.Unknown)]
    [InlineData(null, null, "192.168.1.20", NatVerdict.Unknown)]
    [InlineData(null, "203.0.113.7", "192.168.1.20", NatVerdict.Unknown)]
    // no WAN address given, but the box holds the telling address itself
    [InlineData(null, null, "100.100.5.6", NatVerdict.Cgnat)]
    [InlineData(null, null, "81.2.69.160", NatVerdict.Public)]
    [InlineData(null, "81.2.69.160", "81.2.69.160", NatVerdict.Public)]
    [InlineData(null, "81.2.69.99", "81.2.69.160", NatVerdict.Unknown)]
    public void Verdict_matrix(string? wan, string? seen, string own, NatVerdict expected)
    {
        var local = new[] { new InterfaceAddress("lo", IPAddress.Loopback, true), new InterfaceAddress("eth0", IPAddress.Parse(own), true) };
        var result = NatAssessor.Assess(Parse(wan), Parse(seen), local);

        Assert.Equal(expected, result.Verdict);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        if (wan is not null && expected != NatVerdict.Unknown)
        {
            Assert.Contains(wan, result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verdict_names_are_the_contract_words()
    {
        Assert.Equal("public", NatVerdict.Public.ToName());
        Assert.Equal("double-nat", NatVerdict.DoubleNat.ToName());
        Assert.Equal("cgnat", NatVerdict.Cgnat.ToName());
        Assert.Equal("unknown", NatVerdict.Unknown.ToName());
    }

    [Fact]
    public void Tailscale_address_is_not_mistaken_for_cgnat()
    {
        // Tailscale numbers its tailnet from 100.64.0.0/10; that says nothing about the ISP.
        var local = new[] { LanOnly, new InterfaceAddress("tailscale0", IPAddress.Parse("100.101.102.103"), true) };
        Assert.Equal(NatVerdict.Unknown, NatAssessor.Assess(null, null, local).Verdict);
    }

    [Fact]
    public void Global_ipv6_is_noted_as_a_way_in()
    {
        var v6 = IPAddress.Parse("2a01:4f8:1:2::10");
        var local = new[] { LanOnly, new InterfaceAddress("eth0", v6, true), new InterfaceAddress("eth0", IPAddress.Parse("fd00::5"), true) };

        var exposure = ExposureAssessor.Assess(IPAddress.Parse("100.70.1.2"), null, local, 8443);

        Assert.Equal(v6, exposure.Nat.GlobalIpv6);
        var ipv6 = Assert.Single(exposure.Recommendations, r => r.Kind == RecommendationKind.Ipv6);
        Assert.Contains(v6.ToString(), ipv6.Text, StringComparison.Ordinal);
        Assert.Contains("IPv6", exposure.AcmeReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cgnat_makes_forwarding_and_acme_impossible_and_recommends_tunnel_and_static_address()
    {
        var exposure = ExposureAssessor.Assess(IPAddress.Parse("100.70.1.2"), null, [LanOnly], 8443);

        Assert.Equal(NatVerdict.Cgnat, exposure.Nat.Verdict);
        Assert.Equal(PortForwarding.Impossible, exposure.PortForwarding);
        Assert.False(exposure.AcmeReady);
        var ids = exposure.Recommendations.Select(r => r.Id).ToList();
        Assert.Contains("tunnel", ids);
        Assert.Contains("static-ipv4", ids);
        Assert.Contains("ipv6", ids);
        Assert.DoesNotContain("port-forward", ids);
        var tunnel = exposure.Recommendations.First(r => r.Kind == RecommendationKind.Tunnel).Text;
        Assert.Contains("Cloudflare Tunnel", tunnel, StringComparison.Ordinal);
        Assert.Contains("ngrok", tunnel, StringComparison.Ordinal);
        Assert.Contains("Tailscale Funnel", tunnel, StringComparison.Ordinal);
    }

    [Fact]
    public void Double_nat_recommends_bridging_the_modem()
    {
        var exposure = ExposureAssessor.Assess(IPAddress.Parse("192.168.1.1"), IPAddress.Parse("203.0.113.7"), [LanOnly]);

        Assert.Equal(NatVerdict.DoubleNat, exposure.Nat.Verdict);
        Assert.Equal(PortForwarding.Impossible, exposure.PortForwarding);
        Assert.False(exposure.AcmeReady);
        Assert.Equal("bridge-modem", exposure.Recommendations[0].Id);
    }

    [Fact]
    public void Public_wan_makes_forwarding_and_acme_possible()
    {
        var exposure = ExposureAssessor.Assess(IPAddress.Parse("81.2.69.160"), IPAddress.Parse("81.2.69.160"), [LanOnly], 8443);

        Assert.Equal(PortForwarding.Possible, exposure.PortForwarding);
        Assert.True(exposure.AcmeReady);
        var forward = Assert.Single(exposure.Recommendations, r => r.Kind == RecommendationKind.PortForward);
        Assert.Contains("8443", forward.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_asks_for_the_wan_address()
    {
        var exposure = ExposureAssessor.Assess(null, null, [LanOnly]);

        Assert.Equal(PortForwarding.Unknown, exposure.PortForwarding);
        Assert.False(exposure.AcmeReady);
        Assert.Equal("find-wan-address", exposure.Recommendations[0].Id);
        Assert.Contains("--wan-ip", exposure.Nat.Reason, StringComparison.Ordinal);
    }

    private static IPAddress? Parse(string? text) => text is null ? null : IPAddress.Parse(text);
}
