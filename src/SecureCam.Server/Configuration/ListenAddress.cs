using System.Net;

namespace SecureCam.Server.Configuration;

/// <summary>
/// One address Kestrel listens on, parsed from a URL such as <c>https://0.0.0.0:8443</c>,
/// <c>https://[::]:8443</c>, <c>https://localhost:8443</c> or <c>https://*:8443</c>.
/// </summary>
internal sealed record ListenAddress(string Url, ListenHostKind Kind, IPAddress? Address, int Port, bool IsHttps)
{
    /// <summary>Parses <paramref name="url"/>; <paramref name="key"/> names the setting in the error.</summary>
    public static ListenAddress Parse(string key, string? url, bool https)
    {
        var scheme = https ? "https" : "http";
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new SettingException(key, $"empty; expected a URL like {scheme}://0.0.0.0:{(https ? 8443 : 80)}");
        }

        // Uri does not accept "*" as a host, yet "https://*:8443" is the usual way to say "every address".
        var normalized = url.Trim().Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        var anyHost = normalized != url.Trim();
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            throw new SettingException(key, $"'{url}' is not a URL; expected e.g. {scheme}://0.0.0.0:{(https ? 8443 : 80)}");
        }

        if (!string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new SettingException(key, $"'{url}' must start with {scheme}://");
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new SettingException(key, $"'{url}' must be just {scheme}://HOST:PORT (no path, query or user)");
        }

        var port = uri.Port;
        var host = uri.Host;
        if (anyHost)
        {
            return new ListenAddress(url, ListenHostKind.AnyAddress, null, port, https);
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(url, ListenHostKind.Localhost, null, port, https);
        }

        // Uri keeps the brackets of an IPv6 host.
        var bare = host.Trim('[', ']');
        if (!IPAddress.TryParse(bare, out var address))
        {
            throw new SettingException(key, $"'{url}': the host must be an IP address, 'localhost' or '*' (a name could resolve to anything)");
        }

        return new ListenAddress(url, ListenHostKind.Address, address, port, https);
    }

    public override string ToString() => Url;
}
