using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Network.Doctor;

namespace SecureCam.Network.Certificates;

/// <summary>
/// Reads the server certificates in a PKI folder (the layout of securecam-pki: issued/NAME/cert.pem) and
/// checks dates and names. Reads files only, so it does not depend on the SecureCam.Pki library.
/// </summary>
public static class CertificateInspector
{
    private const string Area = "certificates";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Renewal is due well before expiry; 30 days leaves time for a person to notice.</summary>
    private static readonly TimeSpan ExpirySoon = TimeSpan.FromDays(30);

    /// <param name="lanAddresses">The addresses phones use to reach the box; each should be an IP name of the certificate.</param>
    public static (IReadOnlyList<CertificateReport> Reports, IReadOnlyList<Finding> Findings) Inspect(
        string pkiDirectory, string serverCertificateName, string hostName, IReadOnlyList<IPAddress> lanAddresses, DateTime nowUtc)
    {
        var reports = new List<CertificateReport>();
        var findings = new List<Finding>();
        var issued = Path.Combine(pkiDirectory, "issued");
        if (!Directory.Exists(issued))
        {
            findings.Add(Finding.Warning(Area, $"no certificates: {Path.GetFullPath(issued)} does not exist",
                "Make the PKI with `securecam-pki init` and `securecam-pki issue-server server --dns HOST --ip ADDRESS`, " +
                "or run `securecam demo`; pass --pki DIR if it lives elsewhere."));
            return (reports, findings);
        }

        findings.AddRange(JudgeAuthority(Path.Combine(pkiDirectory, "ca.crt"), nowUtc));

        var configuredPath = Path.Combine(issued, serverCertificateName, "cert.pem");
        if (!File.Exists(configuredPath))
        {
            findings.Add(Finding.Warning(Area, $"no server certificate at {configuredPath} (Server:ServerCertificateName = {serverCertificateName})",
                $"Issue it with `securecam-pki issue-server {serverCertificateName} --dns {hostName} --dns {hostName}.local --ip ADDRESS`."));
        }

        foreach (var dir in Directory.EnumerateDirectories(issued).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(dir, "cert.pem");
            if (!File.Exists(path))
            {
                continue;
            }

            var name = Path.GetFileName(dir);
            var configured = string.Equals(name, serverCertificateName, StringComparison.Ordinal);
            X509Certificate2 certificate;
            try
            {
                certificate = LoadPem(path);
            }
            catch (Exception e) when (e is CryptographicException or Pki.PkiException)
            {
                findings.Add(Finding.Problem(Area, $"{path} cannot be read: {e.Message}", "Issue the certificate again with securecam-pki."));
                continue;
            }

            using (certificate)
            {
                if (!configured && !HasServerAuth(certificate))
                {
                    continue; // a client or device certificate: not served by this box
                }

                var report = Describe(name, path, certificate, configured, hostName, lanAddresses);
                reports.Add(report);
                findings.AddRange(Judge(report, nowUtc, hostName));
            }
        }

        return (reports, findings);
    }

    /// <summary>
    /// The CA's own dates matter as much: a CA made on a box whose clock ran ahead is "not yet valid"
    /// everywhere else, and every certificate it issued fails with it.
    /// </summary>
    private static IEnumerable<Finding> JudgeAuthority(string path, DateTime nowUtc)
    {
        if (!File.Exists(path))
        {
            yield break; // the PKI may live elsewhere (ACME only); the missing server certificate is reported
        }

        var ca = TryLoad(path);
        if (ca is null)
        {
            yield return Finding.Problem(Area, $"{path} cannot be read as a certificate", "Restore the CA from a backup, or make a new one with `securecam-pki init`.");
            yield break;
        }

        using (ca)
        {
            var notBefore = ca.NotBefore.ToUniversalTime();
            var notAfter = ca.NotAfter.ToUniversalTime();
            if (notBefore > nowUtc)
            {
                yield return Finding.Problem(Area,
                    $"the CA certificate is not valid until {notBefore.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)} by this machine's clock",
                    "Either this clock is behind (see the clock line) or the CA was made on a machine whose clock runs ahead.");
            }
            else if (notAfter <= nowUtc)
            {
                yield return Finding.Problem(Area,
                    $"the CA certificate expired on {notAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}: every certificate it issued fails",
                    "Make a new CA with `securecam-pki init` and enrol the phones again.");
            }
            else
            {
                yield return Finding.Ok(Area, $"the CA certificate is valid until {notAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
            }
        }
    }

    private static X509Certificate2? TryLoad(string path)
    {
        try
        {
            return LoadPem(path);
        }
        catch (Exception e) when (e is CryptographicException or Pki.PkiException)
        {
            return null;
        }
    }

    /// <summary>The first certificate of a PEM (or DER) file, through the PKI library's one PEM reader.</summary>
    private static X509Certificate2 LoadPem(string path) => X509CertificateLoader.LoadCertificateFromFile(path);

    private static bool HasServerAuth(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(eku => eku.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == ServerAuthOid));

    private static CertificateReport Describe(
        string name, string path, X509Certificate2 certificate, bool configured, string hostName, IReadOnlyList<IPAddress> lanAddresses)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var dnsNames = san?.EnumerateDnsNames().ToList() ?? [];
        var ipAddresses = san?.EnumerateIPAddresses().ToList() ?? [];
        return new CertificateReport(
            name,
            path,
            certificate.Subject,
            certificate.NotBefore.ToUniversalTime(),
            certificate.NotAfter.ToUniversalTime(),
            dnsNames,
            ipAddresses,
            configured,
            // As TLS clients match (RFC 6125): SAN only, "*." for one label.
            certificate.MatchesHostname(hostName, allowWildcards: true, allowCommonName: false),
            certificate.MatchesHostname(hostName + ".local", allowWildcards: true, allowCommonName: false),
            lanAddresses.Where(a => !ipAddresses.Contains(a)).ToList());
    }

    private static IEnumerable<Finding> Judge(CertificateReport report, DateTime nowUtc, string hostName)
    {
        var label = $"certificate '{report.Name}'";
        var until = report.NotAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        if (report.NotBefore > nowUtc)
        {
            yield return Finding.Problem(Area,
                $"{label} is not valid until {report.NotBefore.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)} by this machine's clock",
                "Either this clock is behind (see the clock line) or the certificate was made on a machine whose clock runs ahead; " +
                "fix the clock, then `securecam-pki renew " + report.Name + "`.");
        }
        else if (report.NotAfter <= nowUtc)
        {
            yield return Finding.Problem(Area, $"{label} expired on {until}", $"Renew it: `securecam-pki renew {report.Name}`.");
        }
        else if (report.NotAfter - nowUtc <= ExpirySoon)
        {
            yield return Finding.Warning(Area, $"{label} expires on {until}", $"Renew it soon: `securecam-pki renew {report.Name}`.");
        }
        else
        {
            yield return Finding.Ok(Area, $"{label} is valid until {until}");
        }

        if (!report.IsConfiguredServerCertificate)
        {
            yield break; // another server's certificate (a collector, say); its names are not about this box
        }

        var reissue = $"Issue it again with every name phones use: `securecam-pki issue-server {report.Name} --dns {hostName} --dns {hostName}.local --ip ADDRESS…`.";
        if (report.CoversHostName && report.CoversMdnsName)
        {
            yield return Finding.Ok(Area, $"{label} names this host '{hostName}' and '{hostName}.local'");
        }

        if (!report.CoversHostName)
        {
            yield return Finding.Warning(Area, $"{label} does not name this host '{hostName}' (names: {string.Join(", ", report.DnsNames.DefaultIfEmpty("none"))})", reissue);
        }

        if (!report.CoversMdnsName)
        {
            yield return Finding.Warning(Area, $"{label} does not name '{hostName}.local', the name phones find through mDNS", reissue);
        }

        if (report.UncoveredAddresses.Count > 0)
        {
            yield return Finding.Warning(Area,
                $"{label} does not cover the LAN address(es) {string.Join(", ", report.UncoveredAddresses)} " +
                $"(its IP names: {string.Join(", ", report.IpAddresses.Select(a => a.ToString()).DefaultIfEmpty("none"))})",
                "The address probably changed (DHCP): reserve it on the router so it stays, then issue the certificate again for it.");
        }
        else
        {
            yield return Finding.Ok(Area, $"{label} covers every current LAN address");
        }
    }
}

/// <summary>What the doctor learnt about one server certificate under pki/issued/NAME/cert.pem.</summary>
public sealed record CertificateReport(
    string Name,
    string Path,
    string Subject,
    DateTime NotBefore,
    DateTime NotAfter,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> IpAddresses,
    bool IsConfiguredServerCertificate,
    bool CoversHostName,
    bool CoversMdnsName,
    IReadOnlyList<IPAddress> UncoveredAddresses)
{
    /// <summary>True when every current LAN address of the box is among the certificate's IP names.</summary>
    public bool CoversAddresses => UncoveredAddresses.Count == 0;
}
