namespace SecureCam.Network.Nat;

/// <summary>The contract names of <see cref="NatVerdict"/> (doctor and ACME print the same words).</summary>
public static class NatVerdictNames
{
    public static string ToName(this NatVerdict verdict) => verdict switch
    {
        NatVerdict.Public => "public",
        NatVerdict.DoubleNat => "double-nat",
        NatVerdict.Cgnat => "cgnat",
        NatVerdict.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}
