using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using SecureCam.Network.Addresses;
using SecureCam.Network.Listening;
using SecureCam.Network.Nat;

namespace SecureCam.Network.Doctor;

/// <summary>
/// The `--json` report. The wire records below are the contract (camelCase names in this order, enums as
/// the words on their members, unknown values as null), kept apart from the report's own records so that
/// refactoring those cannot change the output by accident; a test pins it byte for byte.
/// </summary>
public static class DoctorJsonWriter
{
    public static void Write(DoctorReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        JsonSerializer.Serialize(json, DoctorJson.From(report), DoctorJsonContext.Default.DoctorJson);
    }
}

internal sealed record DoctorJson(
    string Host,
    DateTime CheckedAt,
    IReadOnlyList<AddressJson> Addresses,
    IReadOnlyList<string> ConfiguredListen,
    IReadOnlyList<ListeningJson> Listening,
    NatJson Nat,
    PortForwarding PortForwarding,
    string PortForwardingReason,
    AcmeReadinessJson Acme,
    ClockJson Clock,
    IReadOnlyList<CertificateJson> Certificates,
    IReadOnlyList<FindingJson> Findings,
    IReadOnlyList<RecommendationJson> Recommendations,
    int Problems,
    int Warnings)
{
    public static DoctorJson From(DoctorReport report)
    {
        var exposure = report.Exposure;
        return new DoctorJson(
            report.HostName,
            report.CheckedAt,
            [.. report.Addresses.Select(a => new AddressJson(a.Interface, a.Address.ToString(), a.Family, a.Scope.ToName(), a.InterfaceUp))],
            [.. report.ConfiguredListen.Select(e => e.Url)],
            [.. report.Listening.Select(s => new ListeningJson(s.Protocol, s.Address.ToString(), s.Port, s.ProcessName, s.ProcessId))],
            new NatJson(exposure.Nat.Verdict, exposure.Nat.Reason, report.WanIp?.ToString(), report.PublicIp?.ToString(), exposure.Nat.GlobalIpv6?.ToString()),
            exposure.PortForwarding,
            exposure.PortForwardingReason,
            new AcmeReadinessJson(exposure.AcmeReady, exposure.AcmeReason),
            new ClockJson(report.Clock.OffsetSeconds, report.Clock.Source),
            [.. report.Certificates.Select(c => new CertificateJson(
                c.Name, c.Path, c.Subject, c.NotBefore, c.NotAfter, c.IsConfiguredServerCertificate, c.DnsNames,
                [.. c.IpAddresses.Select(a => a.ToString())], c.CoversHostName, c.CoversMdnsName, c.CoversAddresses,
                [.. c.UncoveredAddresses.Select(a => a.ToString())]))],
            [.. report.Findings.Select(f => new FindingJson(f.Severity, f.Area, f.Text, f.Advice))],
            [.. report.Recommendations.Select(r => new RecommendationJson(r.Kind, r.Text))],
            report.Problems,
            report.Warnings);
    }
}

internal sealed record AddressJson(string Interface, string Address, string Family, string Scope, bool Up);

internal sealed record ListeningJson(SocketProtocol Protocol, string Address, int Port, string? Process, int? Pid);

internal sealed record NatJson(NatVerdict Verdict, string Reason, string? WanIp, string? PublicIp, string? GlobalIpv6);

internal sealed record AcmeReadinessJson(bool Ready, string Reason);

internal sealed record ClockJson(double? OffsetSeconds, string Source);

internal sealed record CertificateJson(
    string Name,
    string Path,
    string Subject,
    DateTime NotBefore,
    DateTime NotAfter,
    bool ServerCertificate,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> IpAddresses,
    bool CoversHostName,
    bool CoversMdnsName,
    bool CoversAddresses,
    IReadOnlyList<string> UncoveredAddresses);

internal sealed record FindingJson(Severity Severity, string Area, string Text, string? Advice);

internal sealed record RecommendationJson(RecommendationKind Id, string Text);

/// <summary>Source-generated, so the native build serialises the report without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DoctorJson))]
[JsonSerializable(typeof(NatVerdict))]
[JsonSerializable(typeof(PortForwarding))]
[JsonSerializable(typeof(RecommendationKind))]
[JsonSerializable(typeof(Severity))]
[JsonSerializable(typeof(SocketProtocol))]
internal sealed partial class DoctorJsonContext : JsonSerializerContext;

/// <summary>The word an enum member carries in <see cref="JsonStringEnumMemberNameAttribute"/>: one spelling for JSON and text.</summary>
internal static class JsonWords
{
    public static string Of<T>(T value, JsonTypeInfo<T> type)
        where T : struct, Enum =>
        Enum.IsDefined(value)
            ? JsonSerializer.Serialize(value, type)[1..^1]
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"no word for {typeof(T).Name} {value}");
}
