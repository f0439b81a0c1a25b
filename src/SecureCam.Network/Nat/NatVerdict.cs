namespace SecureCam.Network.Nat;

/// <summary>
/// What stands between the internet and this box on IPv4. The names (see <see cref="NatVerdictNames"/>)
/// are shared with the ACME side: public, double-nat, cgnat, unknown.
/// </summary>
public enum NatVerdict
{
    /// <summary>Not enough facts to tell (no WAN address given, or facts that contradict each other).</summary>
    Unknown,

    /// <summary>The router holds the public address: one port forward on it can reach the box.</summary>
    Public,

    /// <summary>The router's WAN address is private: another NAT (usually the ISP modem) sits in front.</summary>
    DoubleNat,

    /// <summary>The WAN address is in 100.64.0.0/10: the ISP's carrier-grade NAT, which nobody can forward through.</summary>
    Cgnat,
}
