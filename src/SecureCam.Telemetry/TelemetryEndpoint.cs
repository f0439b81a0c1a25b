using System.Globalization;

namespace SecureCam.Telemetry;

/// <summary>Parses "HOST:PORT", "1.2.3.4:PORT" and "[::1]:PORT".</summary>
public static class TelemetryEndpoint
{
    public static (string Host, int Port) Parse(string text, string settingName)
    {
        var colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            var host = text[..colon];
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }

            if (host.Length > 0 && !host.Contains(' ', StringComparison.Ordinal))
            {
                return (host, port);
            }
        }

        throw new TelemetryConfigurationException($"{settingName}: '{text}' is not HOST:PORT (e.g. collector.lan:5684)");
    }
}
