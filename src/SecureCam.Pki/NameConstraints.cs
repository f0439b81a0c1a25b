using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>
/// The CA's name constraints (RFC 5280 §4.2.1.10): the DNS names and IP networks it may vouch for.
/// Verifiers (OpenSSL, Chrome, Apple, Android) reject any certificate under this CA for a name
/// outside them, so a stolen CA key cannot impersonate the rest of the internet.
/// .NET has no builder for this extension, so it is encoded here with AsnWriter.
/// </summary>
public sealed class NameConstraints
{
    /// <summary>OID of the nameConstraints extension.</summary>
    public const string Oid = "2.5.29.30";

    private static readonly Asn1Tag PermittedSubtreesTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ExcludedSubtreesTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag IpAddressTag = new(TagClass.ContextSpecific, 7);

    public NameConstraints(IEnumerable<string> permittedDns, IEnumerable<IpSubnet> permittedIp)
    {
        ArgumentNullException.ThrowIfNull(permittedDns);
        ArgumentNullException.ThrowIfNull(permittedIp);
        var dns = new List<string>();
        foreach (var name in permittedDns)
        {
            var normalized = name.Trim().TrimStart('.').ToLowerInvariant();
            if (!DnsNames.IsValid(normalized))
            {
                throw new PkiException($"invalid DNS name constraint '{name}': give a domain such as home.example");
            }

            if (!dns.Contains(normalized))
            {
                dns.Add(normalized);
            }
        }

        PermittedDns = dns;
        PermittedIp = permittedIp.Distinct().ToList();
    }

    /// <summary>
    /// The default: names and addresses that only mean something inside a home network.
    /// DNS: mDNS's .local, RFC 8375's home.arpa, the common router suffix .lan, and localhost.
    /// IP: loopback, RFC 1918 private IPv4, CGNAT shared space (RFC 6598, used by Tailscale too),
    /// IPv4 link-local, IPv6 loopback, unique-local (fc00::/7) and link-local (fe80::/10).
    /// </summary>
    public static NameConstraints Default { get; } = new(
        ["local", "home.arpa", "lan", "localhost"],
        [
            IpSubnet.Parse("127.0.0.0/8"),
            IpSubnet.Parse("10.0.0.0/8"),
            IpSubnet.Parse("172.16.0.0/12"),
            IpSubnet.Parse("192.168.0.0/16"),
            IpSubnet.Parse("100.64.0.0/10"),
            IpSubnet.Parse("169.254.0.0/16"),
            IpSubnet.Parse("::1/128"),
            IpSubnet.Parse("fc00::/7"),
            IpSubnet.Parse("fe80::/10"),
        ]);

    public IReadOnlyList<string> PermittedDns { get; }

    public IReadOnlyList<IpSubnet> PermittedIp { get; }

    /// <summary>These constraints plus more permitted names and networks.</summary>
    public NameConstraints With(IEnumerable<string> moreDns, IEnumerable<IpSubnet> moreIp) =>
        new(PermittedDns.Concat(moreDns), PermittedIp.Concat(moreIp));

    /// <summary>
    /// True when a DNS name is permitted. As in RFC 5280 and OpenSSL, a name type with no permitted
    /// subtree at all is unconstrained.
    /// </summary>
    public bool Permits(string dnsName)
    {
        ArgumentNullException.ThrowIfNull(dnsName);
        return PermittedDns.Count == 0 || PermittedDns.Any(b => DnsNames.IsWithin(dnsName, b));
    }

    /// <summary>True when an IP address is permitted (a family with no subtree is unconstrained).</summary>
    public bool Permits(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var sameFamily = PermittedIp.Where(s => s.AddressFamily == address.AddressFamily).ToList();

        // OpenSSL compares an address only with subtrees of the same length, so a family without any is free.
        return sameFamily.Count == 0 || sameFamily.Any(s => s.Contains(address));
    }

    /// <summary>The critical extension for the CA certificate (RFC 5280: conforming CAs MUST mark it critical).</summary>
    public X509Extension ToExtension()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(PermittedSubtreesTag))
            {
                foreach (var dns in PermittedDns)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, DnsNameTag);
                    }
                }

                foreach (var subnet in PermittedIp)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteOctetString(subnet.ToConstraintBytes(), IpAddressTag);
                    }
                }
            }
        }

        return new X509Extension(Oid, writer.Encode(), critical: true);
    }

    /// <summary>
    /// Reads the constraints of a CA certificate; null when it has none. Only the dNSName and iPAddress
    /// permitted subtrees are read: that is all this library writes. A certificate with excluded subtrees
    /// or other name forms is refused rather than half understood.
    /// </summary>
    public static NameConstraints? FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[Oid];
        if (extension is null)
        {
            return null;
        }

        try
        {
            var dns = new List<string>();
            var ips = new List<IpSubnet>();
            var outer = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            if (outer.HasData && outer.PeekTag().HasSameClassAndValue(PermittedSubtreesTag))
            {
                var subtrees = outer.ReadSequence(PermittedSubtreesTag);
                while (subtrees.HasData)
                {
                    var subtree = subtrees.ReadSequence();
                    var tag = subtree.PeekTag();
                    if (tag.HasSameClassAndValue(DnsNameTag))
                    {
                        dns.Add(subtree.ReadCharacterString(UniversalTagNumber.IA5String, DnsNameTag));
                    }
                    else if (tag.HasSameClassAndValue(IpAddressTag))
                    {
                        ips.Add(IpSubnet.FromConstraintBytes(subtree.ReadOctetString(IpAddressTag))
                            ?? throw new PkiException("the CA's name constraints hold an IP network whose mask is not a prefix"));
                    }
                    else
                    {
                        throw new PkiException("the CA's name constraints use a name form securecam-pki does not handle");
                    }
                }
            }

            if (outer.HasData && outer.PeekTag().HasSameClassAndValue(ExcludedSubtreesTag))
            {
                throw new PkiException("the CA's name constraints have excluded subtrees, which securecam-pki does not handle");
            }

            return new NameConstraints(dns, ips);
        }
        catch (AsnContentException e)
        {
            throw new PkiException("the CA's name constraints extension is malformed", e);
        }
    }

    public override string ToString() =>
        string.Join(", ", PermittedDns.Concat(PermittedIp.Select(s => s.ToString())));
}
