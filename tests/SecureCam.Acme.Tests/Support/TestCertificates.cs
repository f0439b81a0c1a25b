using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Acme.Tests.Support;

/// <summary>Leaf certificates with a chosen serial and Authority Key Identifier, as a CA would issue them.</summary>
internal static class TestCertificates
{
    public static AcmeCertificate Leaf(string dnsName, byte[] serial, byte[] authorityKeyId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + dnsName, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(authorityKeyId));
        using var certificate = request.Create(
            new X500DistinguishedName("CN=Scripted Test CA"),
            X509SignatureGenerator.CreateForECDsa(issuerKey),
            notBefore,
            notAfter,
            serial);
        return AcmeCertificate.FromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
