using System.Net;
using SecureCam.Network.Addresses;
using SecureCam.Network.Certificates;
using SecureCam.Network.Doctor;
using SecureCam.Server.Demo;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>The demo and the doctor share one definition of the LAN addresses, so the doctor has nothing to say about the demo's certificate.</summary>
public sealed class DemoAddressesTests
{
    [Fact]
    public void The_demo_certificate_names_loopback_and_exactly_the_lan_addresses_the_doctor_checks()
    {
        using var work = new TempDirectory();
        var pki = DemoPkiSetup.Prepare(work.Combine("pki"), "server", CancellationToken.None);
        var lan = LanAddresses.Read();
        var host = Dns.GetHostName();

        var (reports, findings) = CertificateInspector.Inspect(pki.Directory, "server", host, lan, DateTime.UtcNow);

        var server = Assert.Single(reports, r => r.IsConfiguredServerCertificate);
        Assert.True(server.CoversAddresses, "the doctor finds LAN addresses the demo left out: " + string.Join(", ", server.UncoveredAddresses));
        Assert.Equal(
            new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }.Concat(lan).Select(a => a.ToString()).Order(),
            server.IpAddresses.Select(a => a.ToString()).Order());
        Assert.Equal(LanAddresses.DnsNames(host).Order(), server.DnsNames.Order());
        Assert.True(server.CoversHostName);
        Assert.DoesNotContain(findings, f => f.Area == "certificates" && f.Severity != Severity.Ok && f.Text.Contains("LAN address", StringComparison.Ordinal));
    }
}
