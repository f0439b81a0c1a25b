using System.Globalization;
using System.Net;

namespace SecureCam.Pki;

/// <summary>
/// Strict IP address parsing. IPAddress.TryParse accepts the old inet_aton forms ("1.2.3" is 1.2.0.3,
/// "10" is 0.0.0.10), which would put an address nobody meant into a certificate.
/// </summary>
public static class IpAddresses
{
    /// <summary>Dotted-quad IPv4 or textual IPv6 without a zone (%eth0); null otherwise.</summary>
    public static IPAddress? TryParseStrict(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Contains('%', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? v6 : null;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)
            || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return null;
        }

        return IPAddress.Parse(text);
    }

    /// <summary>Like <see cref="TryParseStrict"/>, throwing a one-line PkiException.</summary>
    public static IPAddress ParseStrict(string text) =>
        TryParseStrict(text) ?? throw new PkiException($"'{text}' is not an IP address");
}
