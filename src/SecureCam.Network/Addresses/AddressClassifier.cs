using System.Net;
using System.Net.Sockets;

namespace SecureCam.Network.Addresses;

/// <summary>
/// Classifies an IP address by the IANA special-purpose registries (RFC 6890 and successors).
/// .NET offers IsIPv6LinkLocal/IsIPv6UniqueLocal but nothing for IPv4 ranges or CGNAT, so the
/// table is here; the order of checks matters only where ranges nest (none of these do).
/// </summary>
public static class AddressClassifier
{
    private static readonly (IPNetwork Network, AddressScope Scope)[] Ipv4Table =
    [
        (IPNetwork.Parse("127.0.0.0/8"), AddressScope.Loopback),
        (IPNetwork.Parse("169.254.0.0/16"), AddressScope.LinkLocal),
        (IPNetwork.Parse("10.0.0.0/8"), AddressScope.Private),
        (IPNetwork.Parse("172.16.0.0/12"), AddressScope.Private),
        (IPNetwork.Parse("192.168.0.0/16"), AddressScope.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressScope.CarrierGradeNat),
        (IPNetwork.Parse("192.0.2.0/24"), AddressScope.Documentation),
        (IPNetwork.Parse("198.51.100.0/24"), AddressScope.Documentation),
        (IPNetwork.Parse("203.0.113.0/24"), AddressScope.Documentation),
        (IPNetwork.Parse("224.0.0.0/4"), AddressScope.Multicast),
        (IPNetwork.Parse("0.0.0.0/8"), AddressScope.Reserved),
        (IPNetwork.Parse("192.0.0.0/24"), AddressScope.Reserved),
        (IPNetwork.Parse("198.18.0.0/15"), AddressScope.Reserved),
        (IPNetwork.Parse("240.0.0.0/4"), AddressScope.Reserved),
    ];

    private static readonly (IPNetwork Network, AddressScope Scope)[] Ipv6Table =
    [
        (IPNetwork.Parse("fe80::/10"), AddressScope.LinkLocal),
        (IPNetwork.Parse("fc00::/7"), AddressScope.UniqueLocal),
        (IPNetwork.Parse("ff00::/8"), AddressScope.Multicast),
        (IPNetwork.Parse("2001:db8::/32"), AddressScope.Documentation),
        (IPNetwork.Parse("3fff::/20"), AddressScope.Documentation),
        (IPNetwork.Parse("2000::/3"), AddressScope.Public),
    ];

    public static AddressScope Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);

        // ::ffff:a.b.c.d is how a dual-stack socket shows an IPv4 peer; it is the IPv4 address.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (address.Equals(IPAddress.Any))
            {
                return AddressScope.Unspecified;
            }

            return Lookup(Ipv4Table, address) ?? AddressScope.Public;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"Not an IP address: {address}", nameof(address));
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return AddressScope.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressScope.Loopback;
        }

        // Outside 2000::/3 and the ranges above is unassigned or special (::/128 handled, ::ffff handled).
        return Lookup(Ipv6Table, address) ?? AddressScope.Reserved;
    }

    /// <summary>True for addresses other devices on the LAN can use to reach this machine.</summary>
    public static bool IsLanReachable(AddressScope scope) =>
        scope is AddressScope.Private or AddressScope.CarrierGradeNat or AddressScope.UniqueLocal or AddressScope.Public;

    /// <summary>
    /// True when the address looks like one the internet routes. Documentation ranges count: they stand
    /// for public addresses in examples (and in this project's docs and tests).
    /// </summary>
    public static bool IsInternetRoutable(AddressScope scope) =>
        scope is AddressScope.Public or AddressScope.Documentation;

    private static AddressScope? Lookup((IPNetwork Network, AddressScope Scope)[] table, IPAddress address)
    {
        foreach (var (network, scope) in table)
        {
            if (network.Contains(address))
            {
                return scope;
            }
        }

        return null;
    }
}
