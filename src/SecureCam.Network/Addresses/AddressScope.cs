namespace SecureCam.Network.Addresses;

/// <summary>What an address can reach and be reached from; the doctor's first question about every address.</summary>
public enum AddressScope
{
    /// <summary>0.0.0.0 or ::, "any address": on a listening socket it means every interface.</summary>
    Unspecified,

    /// <summary>127.0.0.0/8 or ::1: only this machine.</summary>
    Loopback,

    /// <summary>169.254.0.0/16 or fe80::/10: this network segment only, self-assigned, never routed.</summary>
    LinkLocal,

    /// <summary>10/8, 172.16/12, 192.168/16 (RFC 1918): the home LAN, behind the router's NAT.</summary>
    Private,

    /// <summary>100.64.0.0/10 (RFC 6598): shared by an ISP's carrier-grade NAT.</summary>
    CarrierGradeNat,

    /// <summary>fc00::/7 (RFC 4193): IPv6 unique local, the IPv6 counterpart of a private range.</summary>
    UniqueLocal,

    /// <summary>192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20: only for examples.</summary>
    Documentation,

    /// <summary>224.0.0.0/4 or ff00::/8.</summary>
    Multicast,

    /// <summary>Special-purpose space that is neither of the above (0/8, 192.0.0/24, 198.18/15, 240/4, …).</summary>
    Reserved,

    /// <summary>Routable on the internet: public IPv4, or global unicast IPv6 (2000::/3).</summary>
    Public,
}
