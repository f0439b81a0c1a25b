namespace SecureCam.Network.Nat;

/// <summary>One piece of advice: a stable id (tunnel, static-ipv4, …) and the words for a person.</summary>
public sealed record Recommendation(RecommendationKind Kind, string Text)
{
    public string Id => Kind switch
    {
        RecommendationKind.PortForward => "port-forward",
        RecommendationKind.Tunnel => "tunnel",
        RecommendationKind.StaticPublicIpv4 => "static-ipv4",
        RecommendationKind.BridgeModem => "bridge-modem",
        RecommendationKind.Ipv6 => "ipv6",
        RecommendationKind.IpReservation => "ip-reservation",
        RecommendationKind.FindWanAddress => "find-wan-address",
        _ => throw new InvalidOperationException($"No id for {Kind}"),
    };
}
