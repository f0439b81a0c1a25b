using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using SecureCam.Network.Addresses;
using SecureCam.Network.Doctor;

namespace SecureCam.Network.Nat;

/// <summary>
/// What stands between the internet and this box on IPv4. The words on the members are the contract
/// shared by the doctor's JSON and text and the ACME side: public, double-nat, cgnat, unknown.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<NatVerdict>))]
public enum NatVerdict
{
    /// <summary>Not enough facts to tell (no WAN address given, or facts that contradict each other).</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown,

    /// <summary>The router holds the public address: one port forward on it can reach the box.</summary>
    [JsonStringEnumMemberName("public")]
    Public,

    /// <summary>The router's WAN address is private: another NAT (usually the ISP modem) sits in front.</summary>
    [JsonStringEnumMemberName("double-nat")]
    DoubleNat,

    /// <summary>The WAN address is in 100.64.0.0/10: the ISP's carrier-grade NAT, which nobody can forward through.</summary>
    [JsonStringEnumMemberName("cgnat")]
    Cgnat,
}

/// <summary>The contract words of <see cref="NatVerdict"/> (doctor and ACME print the same words).</summary>
public static class NatVerdictNames
{
    public static string ToName(this NatVerdict verdict) => JsonWords.Of(verdict, DoctorJsonContext.Default.NatVerdict);
}

/// <summary>A NAT verdict, the reason in plain words, and a global IPv6 address when the box has one.</summary>
public sealed record NatAssessment(NatVerdict Verdict, string Reason, IPAddress? GlobalIpv6 = null)
{
    /// <summary>The contract name of <see cref="Verdict"/>: public, double-nat, cgnat or unknown.</summary>
    public string VerdictName => Verdict.ToName();
}

/// <summary>
/// Decides the NAT verdict from the router's WAN address, the address the internet sees, and the
/// box's own addresses. The router's WAN address is the fact that matters: the public address alone
/// cannot tell "my router holds it" from "the ISP shares it among many customers".
/// </summary>
public static class NatAssessor
{
    public static NatAssessment Assess(IPAddress? wanIp, IPAddress? publicIp, IReadOnlyList<InterfaceAddress> localAddresses)
    {
        ArgumentNullException.ThrowIfNull(localAddresses);
        var ipv6 = localAddresses.FirstOrDefault(a =>
            a.Address.AddressFamily == AddressFamily.InterNetworkV6 && a.Scope == AddressScope.Public && !a.IsOverlay)?.Address;
        var assessment = Decide(wanIp, publicIp, localAddresses) with { GlobalIpv6 = ipv6 };
        var example = new[] { wanIp, publicIp }.Concat(localAddresses.Select(a => a.Address))
            .FirstOrDefault(a => a is not null && assessment.Reason.Contains(a.ToString(), StringComparison.Ordinal)
                                 && AddressClassifier.Classify(a) == AddressScope.Documentation);
        return example is null
            ? assessment
            : assessment with { Reason = assessment.Reason + $" ({example} is in a documentation range, taken here as standing for a public address)" };
    }

    private static NatAssessment Decide(IPAddress? wanIp, IPAddress? publicIp, IReadOnlyList<InterfaceAddress> localAddresses)
    {
        if (wanIp is not null)
        {
            return FromWan(wanIp, publicIp);
        }

        // Without the router's view, the box's own addresses still tell a lot: a box on a mobile
        // network or plugged straight into an ISP line may hold the CGNAT or public address itself.
        var ownIpv4 = localAddresses
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork && a.InterfaceUp && !a.IsOverlay)
            .ToList();
        var cgnat = ownIpv4.FirstOrDefault(a => a.Scope == AddressScope.CarrierGradeNat);
        if (cgnat is not null)
        {
            return new NatAssessment(NatVerdict.Cgnat,
                $"this machine's own address {cgnat.Address} ({cgnat.Interface}) is in 100.64.0.0/10, the ISP's carrier-grade NAT space: " +
                "the carrier's NAT is right in front of it and no port forward can pass it");
        }

        var ownPublic = ownIpv4.FirstOrDefault(a => AddressClassifier.IsInternetRoutable(a.Scope));
        if (ownPublic is not null)
        {
            if (publicIp is not null && !publicIp.Equals(ownPublic.Address))
            {
                return new NatAssessment(NatVerdict.Unknown,
                    $"this machine holds the public address {ownPublic.Address} but the internet sees {publicIp}: " +
                    "traffic leaves through another path (a VPN, a proxy or a NAT), so connections to " + ownPublic.Address + " may not arrive");
            }

            return new NatAssessment(NatVerdict.Public,
                $"this machine holds the public address {ownPublic.Address} itself ({ownPublic.Interface}): no NAT in front; only a firewall can stop connections");
        }

        if (publicIp is not null)
        {
            return new NatAssessment(NatVerdict.Unknown,
                $"the internet sees this network as {publicIp}, but without the router's WAN address nobody can tell whether the router holds it " +
                "(forwarding can work) or the ISP shares it among customers (CGNAT): read the WAN address on the router's status page and pass --wan-ip");
        }

        return new NatAssessment(NatVerdict.Unknown,
            "the router's WAN address is not known: read it on the router's status page (Internet / WAN / Status) and pass --wan-ip; " +
            "add --public-ip (or --public-ip-url) to compare it with what the internet sees");
    }

    private static NatAssessment FromWan(IPAddress wanIp, IPAddress? publicIp)
    {
        var scope = AddressClassifier.Classify(wanIp);
        switch (scope)
        {
            case AddressScope.CarrierGradeNat:
                return new NatAssessment(NatVerdict.Cgnat,
                    $"the router's WAN address {wanIp} is in 100.64.0.0/10, the shared space of the ISP's carrier-grade NAT: " +
                    "many customers share one public address and no port forward can pass the carrier's NAT");

            case AddressScope.Private:
                return new NatAssessment(NatVerdict.DoubleNat,
                    $"the router's WAN address {wanIp} is a private address: another router, usually the ISP modem, " +
                    "does NAT in front of yours, so a forward on your router alone reaches nothing");

            case AddressScope.Public:
            case AddressScope.Documentation:
                if (publicIp is not null && !publicIp.Equals(wanIp))
                {
                    var seen = AddressClassifier.Classify(publicIp);
                    if (!AddressClassifier.IsInternetRoutable(seen))
                    {
                        return new NatAssessment(NatVerdict.Unknown,
                            $"--public-ip {publicIp} is not a public address ({seen.Describe()}): the lookup answered from inside a network, not from the internet");
                    }

                    return new NatAssessment(NatVerdict.Unknown,
                        $"the router's WAN address {wanIp} is public but the internet sees {publicIp}: something between them translates again " +
                        "(an ISP NAT with public addresses, a VPN or a proxy), so a forward on the router may never be reached");
                }

                var matched = publicIp is null ? "" : " and matches what the internet sees";
                return new NatAssessment(NatVerdict.Public,
                    $"the router's WAN address {wanIp} is public{matched}: a port forward on the router can reach this box");

            default:
                return new NatAssessment(NatVerdict.Unknown,
                    $"--wan-ip {wanIp} is not an address a router's WAN side can have ({scope.Describe()}): check the router's status page again");
        }
    }
}
