using System.Globalization;

namespace SecureCam.Telemetry;

/// <summary>The CPU temperature from Linux's /sys/class/thermal, where the box has one.</summary>
public static class CpuTemperature
{
    /// <summary>Degrees Celsius, or null when no thermal zone can be read (containers, most VMs).</summary>
    public static double? Read(string root = "/sys/class/thermal")
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        double? first = null;
        foreach (var zone in Directory.EnumerateDirectories(root, "thermal_zone*").Order(StringComparer.Ordinal))
        {
            var celsius = ReadZone(zone);
            if (celsius is null)
            {
                continue;
            }

            // Prefer the zone that names the CPU (x86_pkg_temp, cpu-thermal on a Raspberry Pi, soc_thermal).
            var type = TryRead(Path.Combine(zone, "type"))?.ToLowerInvariant() ?? "";
            if (type.Contains("cpu", StringComparison.Ordinal) || type.Contains("pkg", StringComparison.Ordinal) || type.Contains("soc", StringComparison.Ordinal))
            {
                return celsius;
            }

            first ??= celsius;
        }

        return first;
    }

    private static double? ReadZone(string zone)
    {
        // The kernel reports millidegrees Celsius.
        var text = TryRead(Path.Combine(zone, "temp"));
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milli) ? Math.Round(milli / 1000.0, 1) : null;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
