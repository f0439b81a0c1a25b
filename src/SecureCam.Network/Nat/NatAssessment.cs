using System.Net;

namespace SecureCam.Network.Nat;

/// <summary>A NAT verdict, the reason in plain words, and a global IPv6 address when the box has one.</summary>
public sealed record NatAssessment(NatVerdict Verdict, string Reason, IPAddress? GlobalIpv6 = null)
{
    /// <summary>The contract name of <see cref="Verdict"/>: public, double-nat, cgnat or unknown.</summary>
    public string VerdictName => Verdict.ToName();
}
