using System.Net.Sockets;
using SecureCam.Network.Doctor;

namespace SecureCam.Network.Addresses;

/// <summary>Findings about the box's own addresses, and which of them phones on the LAN would use.</summary>
public static class AddressCheck
{
    private const string Area = "addresses";

    public static IReadOnlyList<Finding> Check(IReadOnlyList<InterfaceAddress> addresses)
    {
        var findings = new List<Finding>();
        var lan = LanAddresses.Of(addresses);
        if (lan.Count == 0)
        {
            var linkLocal = addresses.Any(a => a.InterfaceUp && a.Scope == AddressScope.LinkLocal && a.Address.AddressFamily == AddressFamily.InterNetwork);
            findings.Add(Finding.Problem(Area,
                linkLocal
                    ? "no LAN address: only a self-assigned 169.254.x.x address, DHCP got no answer"
                    : "no LAN address: this box has no IPv4 address other devices can reach",
                "Check the cable or Wi-Fi connection and that the router's DHCP server is on."));
        }
        else
        {
            findings.Add(Finding.Ok(Area, $"LAN address(es): {string.Join(", ", lan)}"));
        }

        var global6 = addresses.Where(a => a.InterfaceUp && !a.IsOverlay && a.Address.AddressFamily == AddressFamily.InterNetworkV6 && a.Scope == AddressScope.Public)
            .Select(a => a.Address).Distinct().ToList();
        if (global6.Count > 0)
        {
            findings.Add(Finding.Ok(Area, $"global IPv6 address(es): {string.Join(", ", global6)}: a way in without NAT",
                "Reachable from IPv6 networks once the router's IPv6 firewall allows the port."));
        }

        return findings;
    }
}
