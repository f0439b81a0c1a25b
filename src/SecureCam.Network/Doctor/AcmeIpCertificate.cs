using System.Net;
using System.Net.Sockets;
using SecureCam.Network.Addresses;
using SecureCam.Network.Nat;

namespace SecureCam.Network.Doctor;

/// <summary>
/// The doctor's ACME verdict for a box reached by a public IPv4 address and no DNS name: since 2026 Let's
/// Encrypt issues six-day certificates for IP addresses (its "shortlived" profile), so such a box can
/// have a certificate a browser trusts without buying a domain. The finding carries the settings to use.
/// </summary>
public static class AcmeIpCertificate
{
    public const string Area = "acme-ip";

    /// <summary>
    /// A finding when the NAT verdict is public, a public IPv4 address is known (held by the box itself, or
    /// by the router as its WAN address) and no DNS name is set for ACME; null otherwise (a DNS name takes
    /// the domain path, and behind CGNAT or double NAT no CA can connect).
    /// </summary>
    /// <param name="acmeIdentifiers">Acme:Identifiers (or Acme:Domains) from the configuration; may be empty.</param>
    public static Finding? Assess(NatAssessment nat, IPAddress? wanIp, IPAddress? publicIp, IReadOnlyList<InterfaceAddress> addresses, IReadOnlyList<string> acmeIdentifiers)
    {
        ArgumentNullException.ThrowIfNull(nat);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(acmeIdentifiers);
        if (nat.Verdict != NatVerdict.Public || acmeIdentifiers.Any(i => !IPAddress.TryParse(i.Trim('[', ']'), out _)))
        {
            return null;
        }

        var own = addresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork && a.InterfaceUp && !a.IsOverlay
                                                 && AddressClassifier.IsInternetRoutable(a.Scope))?.Address;
        var address = own ?? new[] { wanIp, publicIp }.FirstOrDefault(a =>
            a is { AddressFamily: AddressFamily.InterNetwork } && AddressClassifier.IsInternetRoutable(AddressClassifier.Classify(a)));
        if (address is null)
        {
            return null;
        }

        var text = $"an ACME IP-address certificate is possible (Let's Encrypt shortlived) for {address}: " +
            (own is null ? "the router holds this public address" : "this box holds this public address itself") +
            " and no DNS name is set for ACME, so a browser can trust a certificate for the address itself (six days, renewed every three)";
        var listen = own is null
            ? "; the router forwards TCP 443 to this box: give that port its own listener in Server:PublicListen (e.g. https://0.0.0.0:8444, " +
              "forward public 443 → 8444) so connections by address get the ACME certificate while the LAN keeps the local CA's"
            : "; listen on 443 (Server:Listen https://0.0.0.0:443, needs CAP_NET_BIND_SERVICE): connections to " + address + " get the ACME certificate, the LAN keeps the local CA's";
        var advice = $"If {address} is static (the certificate names it), set Acme:Enabled=true, " +
            "Acme:DirectoryUrl=https://acme-v02.api.letsencrypt.org/directory, " +
            $"Acme:Identifiers=[\"{address}\"], Acme:Profile=shortlived, Acme:Challenge=tls-alpn-01 (the CA connects to {address}:443), " +
            "Acme:TermsAccepted=true" + listen + "; see docs/acme.md.";
        return Finding.Ok(Area, text, advice);
    }
}
