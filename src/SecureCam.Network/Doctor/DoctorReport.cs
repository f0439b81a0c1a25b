using SecureCam.Network.Addresses;
using SecureCam.Network.Certificates;
using SecureCam.Network.Clock;
using SecureCam.Network.Listening;
using SecureCam.Network.Nat;

namespace SecureCam.Network.Doctor;

/// <summary>Everything one doctor run found; written as text or JSON.</summary>
public sealed record DoctorReport(
    DateTime CheckedAt,
    string HostName,
    IReadOnlyList<InterfaceAddress> Addresses,
    IReadOnlyList<ListenAddress> ConfiguredListen,
    IReadOnlyList<ListeningSocket> Listening,
    ExposureAssessment Exposure,
    System.Net.IPAddress? WanIp,
    System.Net.IPAddress? PublicIp,
    ClockReport Clock,
    IReadOnlyList<CertificateReport> Certificates,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<Recommendation> Recommendations)
{
    public int Problems => Findings.Count(f => f.Severity == Severity.Problem);

    public int Warnings => Findings.Count(f => f.Severity == Severity.Warning);

    /// <summary>0 when nothing is a problem, 1 otherwise: the exit code of `securecam doctor`.</summary>
    public int ExitCode => Problems == 0 ? 0 : 1;
}
