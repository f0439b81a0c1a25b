using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Network.Certificates;
using SecureCam.Network.Doctor;
using SecureCam.TestSupport;

namespace SecureCam.Network.Tests;

public sealed class CertificateInspectorTests
{
    private static readonly DateTime Now = DateTime.UtcNow;

    [Fact]
    public void Server_certificate_covering_everything_is_ok()
    {
        using var pki = new TempDirectory();
        WriteCertificate(pki.Path, "server", ["cam", "cam.local"], ["192.168.1.20"], Now.AddDays(-1), Now.AddDays(300), serverAuth: true);

        var (reports, findings) = CertificateInspector.Inspect(pki.Path, "server", "cam", [IPAddress.Parse("192.168.1.20")], Now);

        var report = Assert.Single(reports);
        Assert.True(report.IsConfiguredServerCertificate);
        Assert.True(report.CoversHostName);
        Assert.True(report.CoversMdnsName);
        Assert.True(report.CoversAddresses);
        Assert.All(findings, f => Assert.Equal(Severity.Ok, f.Severity));
    }

    [Fact]
    public void Drifted_lan_address_and_missing_names_are_warnings()
    {
        using var pki = new TempDirectory();
        WriteCertificate(pki.Path, "server", ["localhost"], ["192.168.1.20"], Now.AddDays(-1), Now.AddDays(300), serverAuth: true);

        var (reports, findings) = CertificateInspector.Inspect(pki.Path, "server", "cam", [IPAddress.Parse("192.168.1.37")], Now);

        var report = Assert.Single(reports);
        Assert.False(report.CoversHostName);
        Assert.False(report.CoversMdnsName);
        Assert.Equal([IPAddress.Parse("192.168.1.37")], report.UncoveredAddresses);
        Assert.Contains(findings, f => f.Severity == Severity.Warning && f.Text.Contains("192.168.1.37", StringComparison.Ordinal)
                                        && f.Advice!.Contains("reserve", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Severity == Severity.Warning && f.Text.Contains("'cam.local'", StringComparison.Ordinal));
    }

    [Fact]
    public void Not_before_in_the_future_is_a_problem()
    {
        using var pki = new TempDirectory();
        WriteCertificate(pki.Path, "server", ["cam"], [], Now.AddHours(2), Now.AddDays(300), serverAuth: true);

        var (_, findings) = CertificateInspector.Inspect(pki.Path, "server", "cam", [], Now);

        Assert.Contains(findings, f => f.Severity == Severity.Problem && f.Text.Contains("is not valid until", StringComparison.Ordinal));
    }

    [Fact]
    public void Expired_and_soon_expiring_certificates_are_reported()
    {
        using var pki = new TempDirectory();
        WriteCertificate(pki.Path, "server", ["cam"], [], Now.AddDays(-400), Now.AddDays(-1), serverAuth: true);
        WriteCertificate(pki.Path, "collector", ["collector"], [], Now.AddDays(-10), Now.AddDays(10), serverAuth: true);

        var (reports, findings) = CertificateInspector.Inspect(pki.Path, "server", "cam", [], Now);

        Assert.Equal(2, reports.Count);
        Assert.Contains(findings, f => f.Severity == Severity.Problem && f.Text.StartsWith("certificate 'server' expired", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Severity == Severity.Warning && f.Text.StartsWith("certificate 'collector' expires", StringComparison.Ordinal));
        // The collector's names are not about this box: no name findings for it.
        Assert.DoesNotContain(findings, f => f.Text.StartsWith("certificate 'collector' does not", StringComparison.Ordinal));
    }

    [Fact]
    public void Client_certificates_are_not_server_certificates()
    {
        using var pki = new TempDirectory();
        WriteCertificate(pki.Path, "server", ["cam"], [], Now.AddDays(-1), Now.AddDays(300), serverAuth: true);
        WriteCertificate(pki.Path, "phone", [], [], Now.AddDays(-1), Now.AddDays(300), serverAuth: false);

        var (reports, _) = CertificateInspector.Inspect(pki.Path, "server", "cam", [], Now);

        Assert.Equal("server", Assert.Single(reports).Name);
    }

    [Fact]
    public void Missing_pki_and_missing_server_certificate_are_said()
    {
        using var pki = new TempDirectory();
        var (_, missingPki) = CertificateInspector.Inspect(Path.Combine(pki.Path, "nothing"), "server", "cam", [], Now);
        Assert.Contains("does not exist", Assert.Single(missingPki).Text, StringComparison.Ordinal);

        WriteCertificate(pki.Path, "other", ["cam"], [], Now.AddDays(-1), Now.AddDays(300), serverAuth: true);
        var (_, findings) = CertificateInspector.Inspect(pki.Path, "server", "cam", [], Now);
        Assert.Contains(findings, f => f.Severity == Severity.Warning && f.Text.StartsWith("no server certificate at", StringComparison.Ordinal));
    }

    [Fact]
    public void Ca_certificate_from_the_future_is_a_problem()
    {
        using var pki = new TempDirectory();
        WriteCertificate(pki.Path, "server", ["cam"], [], Now.AddDays(-1), Now.AddDays(300), serverAuth: true);
        File.Copy(Path.Combine(pki.Path, "issued", "server", "cert.pem"), Path.Combine(pki.Path, "ca.crt"));
        var (_, valid) = CertificateInspector.Inspect(pki.Path, "server", "cam", [], Now);
        Assert.Contains(valid, f => f.Severity == Severity.Ok && f.Text.StartsWith("the CA certificate is valid until", StringComparison.Ordinal));

        WriteCertificate(pki.Path, "future", ["cam"], [], Now.AddDays(2), Now.AddDays(300), serverAuth: true);
        File.Copy(Path.Combine(pki.Path, "issued", "future", "cert.pem"), Path.Combine(pki.Path, "ca.crt"), overwrite: true);
        var (_, future) = CertificateInspector.Inspect(pki.Path, "server", "cam", [], Now);
        Assert.Contains(future, f => f.Severity == Severity.Problem && f.Text.StartsWith("the CA certificate is not valid until", StringComparison.Ordinal));

        File.WriteAllText(Path.Combine(pki.Path, "ca.crt"), "not a certificate");
        var (_, broken) = CertificateInspector.Inspect(pki.Path, "server", "cam", [], Now);
        Assert.Contains(broken, f => f.Severity == Severity.Problem && f.Text.EndsWith("cannot be read as a certificate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cam.local", "CAM.local", true)]
    [InlineData("*.example.org", "cam.example.org", true)]
    [InlineData("*.example.org", "a.b.example.org", false)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("cam", "cam.local", false)]
    public void Matches_names_like_tls_clients(string pattern, string host, bool expected)
    {
        using var pki = new TempDirectory();
        WriteCertificate(pki.Path, "server", [pattern], [], Now.AddDays(-1), Now.AddDays(300), serverAuth: true);

        var (reports, _) = CertificateInspector.Inspect(pki.Path, "server", host, [], Now);

        Assert.Equal(expected, Assert.Single(reports).CoversHostName);
    }

    /// <summary>Writes pki/issued/NAME/cert.pem the way securecam-pki lays it out (self-signed is enough here).</summary>
    internal static void WriteCertificate(
        string pkiDirectory, string name, string[] dnsNames, string[] ipAddresses, DateTime notBefore, DateTime notAfter, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            san.AddDnsName(dns);
        }

        foreach (var ip in ipAddresses)
        {
            san.AddIpAddress(IPAddress.Parse(ip));
        }

        if (dnsNames.Length + ipAddresses.Length > 0)
        {
            request.CertificateExtensions.Add(san.Build());
        }

        var usage = serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: false));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        var dir = Directory.CreateDirectory(Path.Combine(pkiDirectory, "issued", name));
        File.WriteAllText(Path.Combine(dir.FullName, "cert.pem"), certificate.ExportCertificatePem() + "\n");
    }
}
