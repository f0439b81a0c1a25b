namespace SecureCam.Network.Nat;

/// <summary>The ways in the doctor can recommend; stable ids for the JSON report.</summary>
public enum RecommendationKind
{
    PortForward,
    Tunnel,
    StaticPublicIpv4,
    BridgeModem,
    Ipv6,
    IpReservation,
    FindWanAddress,
}
