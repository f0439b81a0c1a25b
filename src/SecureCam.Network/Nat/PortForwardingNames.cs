namespace SecureCam.Network.Nat;

/// <summary>JSON names of <see cref="PortForwarding"/>: possible, impossible, unknown.</summary>
public static class PortForwardingNames
{
    public static string ToName(this PortForwarding value) => value switch
    {
        PortForwarding.Possible => "possible",
        PortForwarding.Impossible => "impossible",
        PortForwarding.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };
}
