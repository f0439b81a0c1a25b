using System.Net;
using System.Net.Sockets;

namespace SecureCam.Network.Addresses;

/// <summary>One address of one network interface, with its scope.</summary>
public sealed record InterfaceAddress(string Interface, IPAddress Address, bool InterfaceUp)
{
    public AddressScope Scope { get; } = AddressClassifier.Classify(Address);

    /// <summary>"ipv4" or "ipv6".</summary>
    public string Family => Address.AddressFamily == AddressFamily.InterNetwork ? "ipv4" : "ipv6";

    /// <summary>
    /// True for overlay interfaces whose 100.64/10 or ULA addresses say nothing about the ISP:
    /// Tailscale hands out 100.64.0.0/10 addresses on tailscale0, WireGuard/ZeroTier use their own.
    /// </summary>
    public bool IsOverlay =>
        Interface.StartsWith("tailscale", StringComparison.Ordinal)
        || Interface.StartsWith("wg", StringComparison.Ordinal)
        || Interface.StartsWith("zt", StringComparison.Ordinal);
}
