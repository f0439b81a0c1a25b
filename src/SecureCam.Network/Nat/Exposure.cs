using System.Net;
using System.Text.Json.Serialization;
using SecureCam.Network.Addresses;
using SecureCam.Network.Doctor;

namespace SecureCam.Network.Nat;

/// <summary>
/// Everything about reaching this box from the internet: the NAT verdict, whether a port forward
/// and ACME (http-01 / tls-alpn-01, which need inbound connections) can work, and what to do.
/// </summary>
public sealed record ExposureAssessment(
    NatAssessment Nat,
    PortForwarding PortForwarding,
    string PortForwardingReason,
    bool AcmeReady,
    string AcmeReason,
    IReadOnlyList<Recommendation> Recommendations);

/// <summary>Whether a port forward on the home router can bring internet traffic to this box.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PortForwarding>))]
public enum PortForwarding
{
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    [JsonStringEnumMemberName("possible")]
    Possible,

    [JsonStringEnumMemberName("impossible")]
    Impossible,
}

/// <summary>The contract words of <see cref="PortForwarding"/>: possible, impossible, unknown.</summary>
public static class PortForwardingNames
{
    public static string ToName(this PortForwarding value) => JsonWords.Of(value, DoctorJsonContext.Default.PortForwarding);
}

/// <summary>
/// Turns the facts (router WAN address, public address, the box's addresses) into an
/// <see cref="ExposureAssessment"/>. The ACME side calls this too, before it tries a challenge that
/// cannot arrive.
/// </summary>
public static class ExposureAssessor
{
    /// <param name="wanIp">The router's WAN address, from its status page; null when not known.</param>
    /// <param name="publicIp">The address the internet sees; null when not known.</param>
    /// <param name="localAddresses">This box's addresses (<see cref="InterfaceAddressReader.Read"/>).</param>
    /// <param name="port">The port the server listens on, for the port-forward advice.</param>
    public static ExposureAssessment Assess(IPAddress? wanIp, IPAddress? publicIp, IReadOnlyList<InterfaceAddress> localAddresses, int port = 443)
    {
        var nat = NatAssessor.Assess(wanIp, publicIp, localAddresses);
        var recommendations = new List<Recommendation>();
        PortForwarding forwarding;
        string forwardingReason;
        bool acmeReady;
        string acmeReason;

        switch (nat.Verdict)
        {
            case NatVerdict.Public:
                forwarding = PortForwarding.Possible;
                forwardingReason = "the router holds a public address, so a forward on it reaches this box";
                acmeReady = true;
                acmeReason = "inbound connections can arrive: forward TCP 80 (http-01) or 443 (tls-alpn-01) to this box and point the DNS name at the public address";
                recommendations.Add(Recommendations.PortForward(port));
                break;

            case NatVerdict.DoubleNat:
                forwarding = PortForwarding.Impossible;
                forwardingReason = "a forward on your router alone is not enough: the modem in front drops the connection first; " +
                    "forward on both, or bridge the modem";
                acmeReady = false;
                acmeReason = "http-01 and tls-alpn-01 need inbound connections, which the NAT in front of the router drops until it forwards them too";
                recommendations.Add(Recommendations.BridgeModem());
                recommendations.Add(Recommendations.Tunnel());
                break;

            case NatVerdict.Cgnat:
                forwarding = PortForwarding.Impossible;
                forwardingReason = "the ISP's carrier-grade NAT is in front and only the ISP could forward through it";
                acmeReady = false;
                acmeReason = "http-01 and tls-alpn-01 need inbound connections, which carrier-grade NAT never lets in";
                recommendations.Add(Recommendations.Tunnel());
                recommendations.Add(Recommendations.StaticPublicIpv4());
                break;

            default:
                forwarding = PortForwarding.Unknown;
                forwardingReason = "the NAT verdict is unknown";
                acmeReady = false;
                acmeReason = "whether inbound connections can arrive is unknown until the NAT verdict is known";
                recommendations.Add(Recommendations.FindWanAddress());
                recommendations.Add(Recommendations.Tunnel());
                break;
        }

        if (nat.Verdict != NatVerdict.Public)
        {
            recommendations.Add(Recommendations.Ipv6(nat.GlobalIpv6));
            if (nat.GlobalIpv6 is not null)
            {
                acmeReason += $"; over IPv6 it can work: this box has the global address {nat.GlobalIpv6} (DNS AAAA record, IPv6 firewall open)";
            }
        }

        return new ExposureAssessment(nat, forwarding, forwardingReason, acmeReady, acmeReason, recommendations);
    }
}

/// <summary>The ways in the doctor can recommend; the words on the members are the stable ids of the JSON report.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecommendationKind>))]
public enum RecommendationKind
{
    [JsonStringEnumMemberName("port-forward")]
    PortForward,

    [JsonStringEnumMemberName("tunnel")]
    Tunnel,

    [JsonStringEnumMemberName("static-ipv4")]
    StaticPublicIpv4,

    [JsonStringEnumMemberName("bridge-modem")]
    BridgeModem,

    [JsonStringEnumMemberName("ipv6")]
    Ipv6,

    [JsonStringEnumMemberName("ip-reservation")]
    IpReservation,

    [JsonStringEnumMemberName("find-wan-address")]
    FindWanAddress,
}

/// <summary>One piece of advice: a stable id (tunnel, static-ipv4, …) and the words for a person.</summary>
public sealed record Recommendation(RecommendationKind Kind, string Text)
{
    public string Id => JsonWords.Of(Kind, DoctorJsonContext.Default.RecommendationKind);
}

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
