using System.Globalization;
using System.Text;
using SecureCam.Network.Addresses;

namespace SecureCam.Network.Doctor;

/// <summary>The readable report: the facts, then one line per finding with its advice under it; nothing untrusted reaches the terminal unescaped.</summary>
public static class DoctorTextWriter
{
    public static void Write(DoctorReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var inv = CultureInfo.InvariantCulture;
        Line(output, string.Create(inv, $"securecam doctor: host {report.HostName}, {report.CheckedAt:yyyy-MM-dd HH:mm:ss} UTC"));
        output.WriteLine();

        output.WriteLine("Addresses");
        foreach (var a in report.Addresses)
        {
            var state = a.InterfaceUp ? "" : " (interface down)";
            Line(output, string.Create(inv, $"  {a.Interface,-12} {a.Address,-28} {a.Family}  {a.Scope.Describe()}{state}"));
        }

        output.WriteLine();
        Line(output, string.Create(inv, $"Listening on TCP (configured: {string.Join(", ", report.ConfiguredListen.Select(e => e.Url))})"));
        foreach (var s in report.Listening.Where(s => s.Protocol == Listening.SocketProtocol.Tcp))
        {
            Line(output, string.Create(inv, $"  {s.AddressText + ":" + s.Port,-28} {s.Process ?? "owner not visible"}"));
        }

        output.WriteLine();
        output.WriteLine("Findings");
        foreach (var f in report.Findings)
        {
            Line(output, string.Create(inv, $"  {f.SeverityName,-8} {f.Area}: {f.Text}"));
            if (f.Advice is not null)
            {
                Line(output, string.Create(inv, $"           -> {f.Advice}"));
            }
        }

        if (report.Recommendations.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Recommendations");
            foreach (var r in report.Recommendations)
            {
                Line(output, string.Create(inv, $"  [{r.Id}] {r.Text}"));
            }
        }

        output.WriteLine();
        Line(output, string.Create(inv, $"{report.Problems} problem(s), {report.Warnings} warning(s); NAT verdict: {report.Exposure.Nat.VerdictName}"));
    }

    /// <summary>One line, its untrusted parts (process names, a public-IP reply, interface names) escaped for the terminal.</summary>
    private static void Line(TextWriter output, string text) => output.WriteLine(TerminalText.Escape(text));
}

/// <summary>
/// Makes untrusted text (process names, a public-IP service's reply, interface names) safe to print on a
/// terminal: control characters (C0, DEL, C1: escape sequences, carriage returns, bells) and the Unicode
/// bidirectional overrides that reorder what a reader sees are shown as \xNN or \u{NNNN} instead.
/// </summary>
public static class TerminalText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!NeedsEscape(c))
            {
                escaped.Append(c);
            }
            else if (c <= 0xFF)
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X4}}}");
            }
        }

        return escaped.ToString();
    }

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
