using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki.Tests;

/// <summary>
/// Certificates the CA would refuse to issue, signed with its key through the library's internals, as a
/// thief holding ca.key could. They prove that verifiers enforce the name constraints.
/// </summary>
internal static class Forgery
{
    public static string Forge(TestCa test, string fileName, string commonName, string[] dnsNames, IPAddress[] addresses, string purposeOid)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(purposeOid)], false));
        if (dnsNames.Length + addresses.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            Array.ForEach(dnsNames, san.AddDnsName);
            Array.ForEach(addresses, san.AddIpAddress);
            request.CertificateExtensions.Add(san.Build());
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(test.Ca.Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        using var forged = test.Ca.SignUnchecked(request, now.AddHours(-1), now.AddDays(30), SerialNumbers.NewSerial(_ => false));
        var path = Path.Combine(test.Folder, fileName);
        File.WriteAllText(path, forged.ExportCertificatePem());
        return path;
    }
}
