using System.Net;

namespace SecureCam.Network.Nat;

/// <summary>The wording of every recommendation, in one place so doctor and ACME say the same thing.</summary>
public static class Recommendations
{
    public static Recommendation PortForward(int port) => new(RecommendationKind.PortForward,
        $"Forward TCP port {port} on the router to this box's LAN address, and reserve that address (see ip-reservation).");

    public static Recommendation Tunnel() => new(RecommendationKind.Tunnel,
        "Use a tunnel that dials out from this box, so nothing has to come in: Cloudflare Tunnel (free, needs a domain on Cloudflare; " +
        "Cloudflare terminates TLS, so pass the client certificate check to its Access feature or use a TCP tunnel), " +
        "ngrok (quick to try; random names unless paid), or Tailscale Funnel (public HTTPS on a ts.net name; " +
        "or plain Tailscale, which keeps the camera private to your own devices). Mutual TLS survives only a tunnel that passes TCP through.");

    public static Recommendation StaticPublicIpv4() => new(RecommendationKind.StaticPublicIpv4,
        "Ask the ISP for a public (ideally static) IPv4 address; many move a line out of CGNAT on request, some for a fee.");

    public static Recommendation BridgeModem() => new(RecommendationKind.BridgeModem,
        "Put the ISP modem in bridge (modem-only) mode so your own router gets the public address; " +
        "or forward the port on both the ISP modem and your router.");

    public static Recommendation Ipv6(IPAddress? address) => new(RecommendationKind.Ipv6, address is null
        ? "Use IPv6 if the ISP offers it: a global IPv6 address is reachable without NAT once the router's IPv6 firewall allows the port."
        : $"This box has the global IPv6 address {address}: it is reachable without NAT once the router's IPv6 firewall allows the port " +
          "(the viewer's network needs IPv6 too; most mobile networks have it).");

    public static Recommendation IpReservation(string? address) => new(RecommendationKind.IpReservation,
        (address is null ? "Reserve this box's LAN address" : $"Reserve {address} for this box") +
        " on the router (DHCP reservation / static lease), so port forwards and the certificate's IP names keep pointing at it; " +
        "then issue the server certificate again for the current addresses.");

    public static Recommendation FindWanAddress() => new(RecommendationKind.FindWanAddress,
        "Read the router's WAN (Internet) address on its status page and run doctor again with --wan-ip ADDRESS " +
        "(and --public-ip, or --public-ip-url URL, to compare with what the internet sees).");
}
