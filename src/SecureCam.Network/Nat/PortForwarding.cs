namespace SecureCam.Network.Nat;

/// <summary>Whether a port forward on the home router can bring internet traffic to this box.</summary>
public enum PortForwarding
{
    Unknown,
    Possible,
    Impossible,
}
