using SecureCam.Network.Addresses;
using SecureCam.Network.Certificates;
using SecureCam.Network.Clock;
using SecureCam.Network.Listening;
using SecureCam.Network.Nat;

namespace SecureCam.Network.Doctor;

/// <summary>Runs every check of `securecam doctor` and gathers the findings into one report.</summary>
public static class DoctorRunner
{
    public static async Task<DoctorReport> RunAsync(DoctorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var endpoints = options.Listen;
        var findings = new List<Finding>();

        var addresses = InterfaceAddressReader.Read();
        findings.AddRange(AddressCheck.Check(addresses));

        var listening = await ListeningSocketReader.ReadAsync(cancellationToken).ConfigureAwait(false);
        findings.AddRange(ListeningCheck.Check(endpoints, listening));

        // The clock query and the public address lookup both wait on the network: run them side by side.
        var ntpTask = options.NtpServer is null
            ? Task.FromResult<SntpResult?>(null)
            : SntpClient.QueryAsync(options.NtpServer, options.NtpTimeout, cancellationToken);
        var publicIp = options.PublicIp;
        if (publicIp is null && options.PublicIpUrl is not null)
        {
            var (address, error) = await PublicIpLookup.LookupAsync(options.PublicIpUrl, options.PublicIpTimeout, cancellationToken).ConfigureAwait(false);
            publicIp = address;
            if (error is not null)
            {
                findings.Add(Finding.Warning("nat", "public address lookup failed: " + error, "Pass the address with --public-ip instead."));
            }
        }

        var exposure = ExposureAssessor.Assess(options.WanIp, publicIp, addresses, endpoints[0].Port);
        findings.AddRange(ExposureFindings(exposure));
        if (AcmeIpCertificate.Assess(exposure.Nat, options.WanIp, publicIp, addresses, options.AcmeIdentifiers) is { } acmeIp)
        {
            findings.Add(acmeIp);
        }

        var (clock, clockFinding) = ClockCheck.Evaluate(options.NtpServer, await ntpTask.ConfigureAwait(false));
        findings.Add(clockFinding);

        var lan = LanAddresses.Of(addresses);
        var now = DateTime.UtcNow;
        var (certificates, certificateFindings) = CertificateInspector.Inspect(
            options.PkiDirectory, options.ServerCertificateName, options.HostName, lan, now);
        findings.AddRange(certificateFindings);

        var recommendations = exposure.Recommendations.ToList();
        var drifted = certificates.FirstOrDefault(c => c.IsConfiguredServerCertificate && !c.CoversAddresses);
        if (drifted is not null || exposure.PortForwarding == PortForwarding.Possible)
        {
            recommendations.Add(Recommendations.IpReservation(drifted?.UncoveredAddresses[0].ToString() ?? lan.FirstOrDefault()?.ToString()));
        }

        return new DoctorReport(now, options.HostName, addresses, endpoints, listening, exposure, options.WanIp, publicIp,
            clock, certificates, findings, recommendations);
    }

    private static IEnumerable<Finding> ExposureFindings(ExposureAssessment exposure)
    {
        var nat = exposure.Nat;
        var natLine = $"NAT verdict {nat.VerdictName}: {nat.Reason}";
        yield return nat.Verdict switch
        {
            NatVerdict.Public => Finding.Ok("nat", natLine),
            NatVerdict.Unknown => Finding.Warning("nat", natLine),
            _ => Finding.Warning("nat", natLine, "The camera still works on the LAN; for the internet see the recommendations below."),
        };

        var forwarding = $"port forwarding {exposure.PortForwarding.ToName()}: {exposure.PortForwardingReason}";
        yield return exposure.PortForwarding == PortForwarding.Possible ? Finding.Ok("port-forwarding", forwarding) : Finding.Warning("port-forwarding", forwarding);

        var acme = $"ACME (http-01/tls-alpn-01) {(exposure.AcmeReady ? "can work" : "cannot work")}: {exposure.AcmeReason}";
        yield return exposure.AcmeReady ? Finding.Ok("acme", acme) : Finding.Warning("acme", acme,
            "Keep the local CA (securecam-pki) for the LAN, or reach the box through a tunnel that brings its own certificate.");
    }
}
