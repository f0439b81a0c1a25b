using System.Globalization;
using SecureCam.Network.Doctor;

namespace SecureCam.Network.Clock;

/// <summary>Judges an SNTP result: certificates and ACME break when the clock is minutes off.</summary>
public static class ClockCheck
{
    private const string Area = "clock";

    /// <summary>Below this nobody notices; NTP-synchronised machines are within milliseconds.</summary>
    private static readonly TimeSpan Tolerable = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Above this, certificates issued here look "not yet valid" on phones with a correct clock (our CA
    /// backdates notBefore by only a few minutes) and ACME servers reject requests.
    /// </summary>
    private static readonly TimeSpan Harmful = TimeSpan.FromMinutes(5);

    public static (ClockReport Report, Finding Finding) Evaluate(NtpServerAddress? server, SntpResult? result)
    {
        if (server is null)
        {
            return (new ClockReport(null, "not checked (--ntp off)"),
                Finding.Ok(Area, "clock not checked against NTP (--ntp off)"));
        }

        if (result is null)
        {
            return (new ClockReport(null, $"unknown: no answer from {server}"),
                Finding.Warning(Area, $"clock offset unknown: no SNTP answer from {server}",
                    "Offline, the name does not resolve, or UDP port 123 is blocked. Check the clock by hand (`timedatectl`), or pass --ntp HOST for a server on your network."));
        }

        var seconds = Math.Round(result.Offset.TotalSeconds, 3);
        var report = new ClockReport(seconds, $"sntp {server} (stratum {result.Stratum})");
        var magnitude = result.Offset.Duration();
        var direction = result.Offset > TimeSpan.Zero ? "behind" : "ahead of";
        var text = string.Create(CultureInfo.InvariantCulture, $"clock is {magnitude.TotalSeconds:0.###} s {direction} {server}");
        var fix = "Turn on time synchronisation (`timedatectl set-ntp true`, or install chrony/systemd-timesyncd).";
        var finding = magnitude <= Tolerable ? Finding.Ok(Area, text)
            : magnitude <= Harmful ? Finding.Warning(Area, text, fix)
            : Finding.Problem(Area, text + ": certificates and ACME fail with a clock this far off", fix);
        return (report, finding);
    }
}

/// <summary>The clock's offset from NTP in seconds (null when unknown) and where it came from.</summary>
public sealed record ClockReport(double? OffsetSeconds, string Source);
