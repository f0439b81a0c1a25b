using System.Text.Json.Serialization;
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

/// <summary>One line of the report ("ok: …", "warning: …", "problem: …") and the advice printed under it.</summary>
public sealed record Finding(Severity Severity, string Area, string Text, string? Advice = null)
{
    public static Finding Ok(string area, string text, string? advice = null) => new(Severity.Ok, area, text, advice);

    public static Finding Warning(string area, string text, string? advice = null) => new(Severity.Warning, area, text, advice);

    public static Finding Problem(string area, string text, string? advice = null) => new(Severity.Problem, area, text, advice);

    public string SeverityName => JsonWords.Of(Severity, DoctorJsonContext.Default.Severity);
}

/// <summary>How bad a finding is. Any <see cref="Problem"/> makes `doctor` exit with 1.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("ok")]
    Ok,

    [JsonStringEnumMemberName("warning")]
    Warning,

    [JsonStringEnumMemberName("problem")]
    Problem,
}
