using System.Net;
using SecureCam.Network.Addresses;

namespace SecureCam.Network.Tests;

/// <summary>The one definition of "the LAN addresses" that the demo, the doctor and `securecam-pki enroll` share.</summary>
public sealed class LanAddressesTests
{
    [Theory]
    [InlineData("eth0", "192.168.1.20", true, true)] // RFC 1918: the home LAN
    [InlineData("eth0", "10.1.2.3", true, true)]
    [InlineData("eth0", "100.72.1.2", true, true)] // 100.64/10 on a real interface: the box sits on the ISP's shared segment
    [InlineData("tailscale0", "100.72.1.2", true, false)] // the same space on an overlay: reached through the tunnel
    [InlineData("wg0", "10.8.0.2", true, false)]
    [InlineData("eth0", "203.0.113.7", true, true)] // a public (here documentation) address on the LAN interface
    [InlineData("eth0", "169.254.7.9", true, false)] // self-assigned after DHCP failed, new on every boot
    [InlineData("lo", "127.0.0.1", true, false)]
    [InlineData("eth0", "192.168.1.20", false, false)] // interface down
    [InlineData("eth0", "fd00::2", true, false)] // IPv6 unique local: SLAAC privacy addresses change daily
    [InlineData("eth0", "2001:db8::7", true, false)] // IPv6 global: same
    [InlineData("eth0", "fe80::1", true, false)] // IPv6 link-local needs a zone no certificate can carry
    public void AnAddressIsOnTheLanByItsScopeItsFamilyAndItsInterface(string nic, string address, bool up, bool lan)
    {
        var addresses = new[] { new InterfaceAddress(nic, IPAddress.Parse(address), up) };

        Assert.Equal(lan, LanAddresses.Of(addresses).Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Each_lan_address_comes_once_in_the_interfaces_order()
    {
        var addresses = new[]
        {
            new InterfaceAddress("lo", IPAddress.Loopback, true),
            new InterfaceAddress("wlan0", IPAddress.Parse("192.168.1.20"), true),
            new InterfaceAddress("eth0", IPAddress.Parse("10.0.0.5"), true),
            new InterfaceAddress("br0", IPAddress.Parse("192.168.1.20"), true),
        };

        Assert.Equal([IPAddress.Parse("192.168.1.20"), IPAddress.Parse("10.0.0.5")], LanAddresses.Of(addresses));
    }

    [Theory]
    [InlineData("vm", new[] { "localhost", "vm", "vm.local" })]
    [InlineData("Cam.Example.Org.", new[] { "localhost", "cam.example.org" })]
    [InlineData("localhost", new[] { "localhost" })]
    [InlineData("bad_name!", new[] { "localhost" })]
    public void TheNamesAreLocalhostTheHostNameAndItsMdnsForm(string hostName, string[] names)
    {
        Assert.Equal(names, LanAddresses.DnsNames(hostName));
    }
}
