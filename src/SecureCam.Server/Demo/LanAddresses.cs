using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace SecureCam.Server.Demo;

/// <summary>The names and addresses a phone on the same network may use to reach this box.</summary>
internal static class LanAddresses
{
    /// <summary>localhost, the host name and its mDNS form (NAME.local).</summary>
    public static IReadOnlyList<string> DnsNames()
    {
        var names = new List<string> { "localhost" };
        var host = Dns.GetHostName().Trim().TrimEnd('.').ToLowerInvariant();
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

    /// <summary>
    /// Loopback plus every unicast address of every interface that is up. IPv6 link-local addresses
    /// are left out: they need a zone (%eth0) that certificates and browsers cannot carry.
    /// </summary>
    public static IReadOnlyList<IPAddress> Addresses()
    {
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (address.AddressFamily == AddressFamily.InterNetworkV6 && (address.IsIPv6LinkLocal || address.IsIPv6Multicast))
                {
                    continue;
                }

                if (address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !addresses.Contains(address))
                {
                    addresses.Add(address);
                }
            }
        }

        return addresses;
    }
}
