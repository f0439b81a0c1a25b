using System.Net;
using System.Net.Sockets;

namespace SecureCam.Network.Addresses;

/// <summary>
/// "The LAN addresses": the addresses of this box a phone on the same network uses to reach it. The one
/// definition: the demo names them in its server certificate and prints them, the doctor checks that the
/// server certificate covers them, `securecam-pki enroll` puts the first one in its link.
/// <list type="bullet">
/// <item>IPv4 only. IPv6 global and unique-local (fc00::/7) addresses are left out: with SLAAC privacy
/// extensions they change daily, no certificate could follow them; a phone reaches the box over IPv6 by
/// its name (NAME.local). IPv6 link-local needs a zone (%eth0) that certificates and browsers cannot carry.</item>
/// <item>Private (RFC 1918) and carrier-grade NAT space (100.64.0.0/10) count: a box directly on an ISP's
/// shared segment is reached there by its neighbours. Public and documentation addresses count too (a box
/// with a public address on its LAN interface; documentation ranges stand for public ones in tests).</item>
/// <item>Left out: loopback; 169.254.0.0/16 (self-assigned after DHCP failed, a new one each boot); overlay
/// interfaces (Tailscale's 100.64/10 on tailscale0, WireGuard, ZeroTier): reached through their tunnel,
/// which brings its own names.</item>
/// <item>The interface must be up; Linux reports "unknown" for interfaces without carrier detection (tun,
/// some Wi-Fi drivers), which counts as up.</item>
/// </list>
/// </summary>
public static class LanAddresses
{
    /// <summary>The LAN addresses among <paramref name="addresses"/>, in their order, each once.</summary>
    public static IReadOnlyList<IPAddress> Of(IReadOnlyList<InterfaceAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return addresses
            .Where(a => a.InterfaceUp && !a.IsOverlay && a.Address.AddressFamily == AddressFamily.InterNetwork
                        && a.Scope is AddressScope.Private or AddressScope.CarrierGradeNat or AddressScope.Public or AddressScope.Documentation)
            .Select(a => a.Address)
            .Distinct()
            .ToList();
    }

    /// <summary>This box's LAN addresses now.</summary>
    public static IReadOnlyList<IPAddress> Read() => Of(InterfaceAddressReader.Read());

    /// <summary>The names a phone may use for this box: localhost, the host name and its mDNS form (NAME.local).</summary>
    public static IReadOnlyList<string> DnsNames(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var names = new List<string> { "localhost" };
        var host = hostName.Trim().TrimEnd('.').ToLowerInvariant();
        if (host.Length > 0 && host != "localhost" && Uri.CheckHostName(host) == UriHostNameType.Dns)
        {
            names.Add(host);
            if (!host.Contains('.', StringComparison.Ordinal))
            {
                names.Add(host + ".local");
            }
        }

        return names;
    }
}
