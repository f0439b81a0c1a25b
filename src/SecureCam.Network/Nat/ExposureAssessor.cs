using System.Net;
using SecureCam.Network.Addresses;

namespace SecureCam.Network.Nat;

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
