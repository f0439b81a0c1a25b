using System.Text.Encodings.Web;
using System.Text.Json;
using SecureCam.Network.Addresses;
using SecureCam.Network.Nat;

namespace SecureCam.Network.Doctor;

/// <summary>
/// The `--json` report. Written field by field rather than by serialising the records, so the shape is a
/// deliberate contract (field names in camelCase, enums as their documented words) that refactoring cannot
/// change by accident.
/// </summary>
public static class DoctorJsonWriter
{
    public static void Write(DoctorReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("host", report.HostName);
        json.WriteString("checkedAt", report.CheckedAt);

        json.WriteStartArray("addresses");
        foreach (var a in report.Addresses)
        {
            json.WriteStartObject();
            json.WriteString("interface", a.Interface);
            json.WriteString("address", a.Address.ToString());
            json.WriteString("family", a.Family);
            json.WriteString("scope", a.Scope.ToName());
            json.WriteBoolean("up", a.InterfaceUp);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("configuredListen");
        foreach (var e in report.ConfiguredListen)
        {
            json.WriteStringValue(e.Url);
        }

        json.WriteEndArray();

        json.WriteStartArray("listening");
        foreach (var s in report.Listening)
        {
            json.WriteStartObject();
            json.WriteString("protocol", s.Protocol == Listening.SocketProtocol.Tcp ? "tcp" : "udp");
            json.WriteString("address", s.Address.ToString());
            json.WriteNumber("port", s.Port);
            WriteNullable(json, "process", s.ProcessName);
            if (s.ProcessId is { } pid)
            {
                json.WriteNumber("pid", pid);
            }
            else
            {
                json.WriteNull("pid");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();

        var exposure = report.Exposure;
        json.WriteStartObject("nat");
        json.WriteString("verdict", exposure.Nat.VerdictName);
        json.WriteString("reason", exposure.Nat.Reason);
        WriteNullable(json, "wanIp", report.WanIp?.ToString());
        WriteNullable(json, "publicIp", report.PublicIp?.ToString());
        WriteNullable(json, "globalIpv6", exposure.Nat.GlobalIpv6?.ToString());
        json.WriteEndObject();

        json.WriteString("portForwarding", exposure.PortForwarding.ToName());
        json.WriteString("portForwardingReason", exposure.PortForwardingReason);

        json.WriteStartObject("acme");
        json.WriteBoolean("ready", exposure.AcmeReady);
        json.WriteString("reason", exposure.AcmeReason);
        json.WriteEndObject();

        json.WriteStartObject("clock");
        if (report.Clock.OffsetSeconds is { } offset)
        {
            json.WriteNumber("offsetSeconds", offset);
        }
        else
        {
            json.WriteNull("offsetSeconds");
        }

        json.WriteString("source", report.Clock.Source);
        json.WriteEndObject();

        json.WriteStartArray("certificates");
        foreach (var c in report.Certificates)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            json.WriteString("path", c.Path);
            json.WriteString("subject", c.Subject);
            json.WriteString("notBefore", c.NotBefore);
            json.WriteString("notAfter", c.NotAfter);
            json.WriteBoolean("serverCertificate", c.IsConfiguredServerCertificate);
            WriteStrings(json, "dnsNames", c.DnsNames);
            WriteStrings(json, "ipAddresses", c.IpAddresses.Select(a => a.ToString()));
            json.WriteBoolean("coversHostName", c.CoversHostName);
            json.WriteBoolean("coversMdnsName", c.CoversMdnsName);
            json.WriteBoolean("coversAddresses", c.CoversAddresses);
            WriteStrings(json, "uncoveredAddresses", c.UncoveredAddresses.Select(a => a.ToString()));
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("findings");
        foreach (var f in report.Findings)
        {
            json.WriteStartObject();
            json.WriteString("severity", f.SeverityName);
            json.WriteString("area", f.Area);
            json.WriteString("text", f.Text);
            WriteNullable(json, "advice", f.Advice);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("recommendations");
        foreach (var r in report.Recommendations)
        {
            json.WriteStartObject();
            json.WriteString("id", r.Id);
            json.WriteString("text", r.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteNumber("problems", report.Problems);
        json.WriteNumber("warnings", report.Warnings);
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
    }
}
