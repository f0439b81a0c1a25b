using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Acme;
using SecureCam.Server.Tests.Support;

namespace SecureCam.Server.Tests;

/// <summary>A restart serves the stored ACME certificate (PKI/acme) from the first connection on, without asking the CA.</summary>
[Collection(AcmeCollection.Name)]
public sealed class AcmeStoredCertificateTests
{
    [Fact]
    public async Task A_stored_certificate_serves_the_domain_at_once_and_nothing_is_due()
    {
        string? serial = null;
        await using var server = await AcmeServer.StartAsync(pebble: null, ChallengeTypes.TlsAlpn01, prepare: pki =>
        {
            using var stored = LongLived(AcmeServer.Domain);
            serial = stored.SerialNumber;
            new AcmeFileStorage(Path.Combine(pki.Directory, "acme")).SaveCertificate(AcmeServer.Domain, stored);
        });

        using var served = await server.ServerCertificateAsync(AcmeServer.Domain);
        Assert.Equal(serial, served.SerialNumber);
        using var local = await server.ServerCertificateAsync("localhost");
        Assert.Contains("SecureCam Test CA", local.Issuer, StringComparison.Ordinal);

        // 90 days, renewal when a third is left: nothing to do, so the closed CA port is never tried.
        await server.WaitUntilAsync(s => s.State == AcmeManagerState.Valid && s.RenewalDue is not null, TimeSpan.FromSeconds(30));
        var status = await server.AcmeStatusAsync();
        Assert.Equal("valid", status.GetProperty("state").GetString());
        Assert.Equal(serial, status.GetProperty("serial").GetString());
        Assert.Equal(0, status.GetProperty("failures").GetInt32());
        Assert.True(status.GetProperty("renewalDue").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(50));
    }

    /// <summary>A 90-day certificate for <paramref name="name"/> from a throwaway issuer, as a CA would have issued it.</summary>
    private static AcmeCertificate LongLived(string name)
    {
        var now = DateTimeOffset.UtcNow;
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerRequest = new CertificateRequest("CN=Stored Test Intermediate", issuerKey, HashAlgorithmName.SHA256);
        issuerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var issuer = issuerRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(100));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using var leaf = request.Create(issuer, now.AddMinutes(-1), now.AddDays(90), RandomNumberGenerator.GetBytes(12));
        return AcmeCertificate.FromPem(leaf.ExportCertificatePem() + "\n" + issuer.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem());
    }
}
