namespace SecureCam.Network.Addresses;

/// <summary>The stable names of <see cref="AddressScope"/> used in the JSON report and in text.</summary>
public static class AddressScopeNames
{
    public static string ToName(this AddressScope scope) => scope switch
    {
        AddressScope.Unspecified => "unspecified",
        AddressScope.Loopback => "loopback",
        AddressScope.LinkLocal => "link-local",
        AddressScope.Private => "private",
        AddressScope.CarrierGradeNat => "cgnat",
        AddressScope.UniqueLocal => "ula",
        AddressScope.Documentation => "documentation",
        AddressScope.Multicast => "multicast",
        AddressScope.Reserved => "reserved",
        AddressScope.Public => "public",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>A few words a newcomer understands, for the readable report.</summary>
    public static string Describe(this AddressScope scope) => scope switch
    {
        AddressScope.Unspecified => "any address",
        AddressScope.Loopback => "loopback, only this machine",
        AddressScope.LinkLocal => "link-local, this network segment only",
        AddressScope.Private => "private LAN address, behind NAT",
        AddressScope.CarrierGradeNat => "carrier-grade NAT shared space (100.64.0.0/10)",
        AddressScope.UniqueLocal => "IPv6 unique local, LAN only",
        AddressScope.Documentation => "documentation range, used in examples",
        AddressScope.Multicast => "multicast",
        AddressScope.Reserved => "reserved special-purpose address",
        AddressScope.Public => "public, reachable from the internet if nothing blocks it",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };
}
