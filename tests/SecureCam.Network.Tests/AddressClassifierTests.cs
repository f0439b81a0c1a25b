using System.Net;
using SecureCam.Network.Addresses;

namespace SecureCam.Network.Tests;

public sealed class AddressClassifierTests
{
    [Theory]
    // CGNAT 100.64.0.0/10 and both neighbours
    [InlineData("100.63.255.255", AddressScope.Public)]
    [InlineData("100.64.0.0", AddressScope.CarrierGradeNat)]
    [InlineData("100.70.1.2", AddressScope.CarrierGradeNat)]
    [InlineData("100.127.255.255", AddressScope.CarrierGradeNat)]
    [InlineData("100.128.0.0", AddressScope.Public)]
    // RFC 1918
    [InlineData("9.255.255.255", AddressScope.Public)]
    [InlineData("10.0.0.0", AddressScope.Private)]
    [InlineData("10.255.255.255", AddressScope.Private)]
    [InlineData("11.0.0.0", AddressScope.Public)]
    [InlineData("172.15.255.255", AddressScope.Public)]
    [InlineData("172.16.0.0", AddressScope.Private)]
    [InlineData("172.31.255.255", AddressScope.Private)]
    [InlineData("172.32.0.0", AddressScope.Public)]
    [InlineData("192.167.255.255", AddressScope.Public)]
    [InlineData("192.168.0.0", AddressScope.Private)]
    [InlineData("192.168.255.255", AddressScope.Private)]
    [InlineData("192.169.0.0", AddressScope.Public)]
    // loopback, link-local, unspecified, documentation, multicast, reserved
    [InlineData("127.0.0.1", AddressScope.Loopback)]
    [InlineData("127.255.255.255", AddressScope.Loopback)]
    [InlineData("169.253.255.255", AddressScope.Public)]
    [InlineData("169.254.0.0", AddressScope.LinkLocal)]
    [InlineData("169.254.255.255", AddressScope.LinkLocal)]
    [InlineData("169.255.0.0", AddressScope.Public)]
    [InlineData("0.0.0.0", AddressScope.Unspecified)]
    [InlineData("192.0.2.0", AddressScope.Documentation)]
    [InlineData("198.51.100.255", AddressScope.Documentation)]
    [InlineData("203.0.113.7", AddressScope.Documentation)]
    [InlineData("203.0.114.0", AddressScope.Public)]
    [InlineData("224.0.0.251", AddressScope.Multicast)]
    [InlineData("240.0.0.1", AddressScope.Reserved)]
    [InlineData("8.8.8.8", AddressScope.Public)]
    // IPv6: ULA fc00::/7, link-local fe80::/10, documentation 2001:db8::/32, global 2000::/3
    [InlineData("::", AddressScope.Unspecified)]
    [InlineData("::1", AddressScope.Loopback)]
    [InlineData("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressScope.Reserved)]
    [InlineData("fc00::", AddressScope.UniqueLocal)]
    [InlineData("fd12:3456::1", AddressScope.UniqueLocal)]
    [InlineData("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressScope.UniqueLocal)]
    [InlineData("fe00::", AddressScope.Reserved)]
    [InlineData("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressScope.Reserved)]
    [InlineData("fe80::", AddressScope.LinkLocal)]
    [InlineData("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressScope.LinkLocal)]
    [InlineData("fec0::", AddressScope.Reserved)]
    [InlineData("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", AddressScope.Public)]
    [InlineData("2001:db8::", AddressScope.Documentation)]
    [InlineData("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", AddressScope.Documentation)]
    [InlineData("2001:db9::", AddressScope.Public)]
    [InlineData("2a01:4f8::1", AddressScope.Public)]
    [InlineData("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", AddressScope.Reserved)]
    [InlineData("2000::", AddressScope.Public)]
    [InlineData("3fff::", AddressScope.Documentation)]
    [InlineData("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", AddressScope.Documentation)]
    [InlineData("3fff:1000::", AddressScope.Public)]
    [InlineData("4000::", AddressScope.Reserved)]
    [InlineData("ff02::1", AddressScope.Multicast)]
    // IPv4-mapped IPv6 is judged as the IPv4 address it carries
    [InlineData("::ffff:100.64.0.1", AddressScope.CarrierGradeNat)]
    [InlineData("::ffff:192.168.1.1", AddressScope.Private)]
    public void Classifies_every_range_edge(string address, AddressScope expected)
    {
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));
    }

    [Fact]
    public void Scope_names_are_the_json_words()
    {
        Assert.Equal("cgnat", AddressScope.CarrierGradeNat.ToName());
        Assert.Equal("ula", AddressScope.UniqueLocal.ToName());
        Assert.Equal("link-local", AddressScope.LinkLocal.ToName());
        Assert.All(Enum.GetValues<AddressScope>(), s => Assert.False(string.IsNullOrEmpty(s.ToName())));
    }

    [Fact]
    public void Reads_this_machines_interfaces_including_loopback()
    {
        var addresses = InterfaceAddressReader.Read();
        Assert.Contains(addresses, a => a.Address.Equals(IPAddress.Loopback) && a.Scope == AddressScope.Loopback && a.Family == "ipv4");
    }
}
