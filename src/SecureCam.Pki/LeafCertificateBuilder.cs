using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>
/// Builds the certificate request for a leaf: subject, purposes, names and key identifiers. It does not
/// check the CA's name constraints; <see cref="CertificateAuthority"/> does that before it signs.
/// </summary>
internal static class LeafCertificateBuilder
{
    /// <summary>
    /// The label under home.arpa that carries a client's or device's name when the CA has DNS
    /// constraints and the name contains a dot (see <see cref="IdentityDnsName"/>).
    /// </summary>
    private const string IdentityZone = "securecam.home.arpa";

    public static CertificateRequest Build(LeafPlan plan, ECDsa key, X509Certificate2 ca, HashAlgorithmName hash, NameConstraints? constraints)
    {
        var request = new CertificateRequest(CertificateProfiles.LeafSubject(plan.Name, plan.Role), key, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(CertificateProfiles.PurposeOid(plan.Kind))], critical: false));

        var dnsNames = plan.DnsNames.ToList();
        if (IdentityDnsName(plan, constraints) is { } identity)
        {
            dnsNames.Add(identity);
        }

        if (dnsNames.Count > 0 || plan.IpAddresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            dnsNames.ForEach(san.AddDnsName);
            foreach (var address in plan.IpAddresses)
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build(critical: false));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request;
    }

    /// <summary>
    /// OpenSSL (and so .NET on Linux, and Kestrel) checks a CommonName that looks like a dotted host name
    /// against the CA's DNS constraints whenever the certificate has no DNS subjectAltName. A client
    /// named "alice.phone" would then be rejected. Such a certificate gets one DNS name inside the
    /// constraints, NAME.KIND.securecam.home.arpa, which turns that check off and names the holder;
    /// it is harmless because client and device certificates cannot serve TLS (EKU clientAuth only).
    /// </summary>
    public static string? IdentityDnsName(LeafPlan plan, NameConstraints? constraints)
    {
        if (constraints is null || constraints.PermittedDns.Count == 0 || plan.DnsNames.Count > 0
            || !DnsNames.MayBeReadAsHostName(plan.Name) || constraints.Permits(plan.Name))
        {
            return null;
        }

        var kind = plan.Kind.ToString().ToLowerInvariant();
        var candidate = $"{plan.Name}.{kind}.{IdentityZone}".ToLowerInvariant();
        if (constraints.Permits(candidate) && DnsNames.IsValid(candidate, allowUnderscore: true))
        {
            return candidate;
        }

        // A CA made without home.arpa in its constraints: use the first permitted domain instead.
        var fallback = $"{plan.Name}.{kind}.{constraints.PermittedDns[0]}".ToLowerInvariant();
        return DnsNames.IsValid(fallback, allowUnderscore: true) ? fallback : null;
    }
}
