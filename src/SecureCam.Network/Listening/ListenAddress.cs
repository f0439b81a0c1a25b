using System.Net;

namespace SecureCam.Network.Listening;

/// <summary>How a listen URL names its host.</summary>
public enum ListenHostKind
{
    /// <summary>A literal IPv4 or IPv6 address (0.0.0.0 and [::] included).</summary>
    Address,

    /// <summary><c>localhost</c>: both 127.0.0.1 and ::1.</summary>
    Localhost,

    /// <summary><c>*</c> or <c>+</c>: every address, IPv4 and IPv6.</summary>
    AnyAddress,
}

/// <summary>
/// One address the server listens on, parsed from a URL such as <c>https://0.0.0.0:8443</c>,
/// <c>https://[::]:8443</c>, <c>https://localhost:8443</c> or <c>https://*:8443</c>, the way Kestrel reads it
/// (a missing port is the scheme's default). The one parser of listen URLs: `serve`, `demo` and `doctor` all
/// read Server:Listen through it, so they cannot disagree about what a URL means.
/// </summary>
public sealed record ListenAddress(string Url, ListenHostKind Kind, IPAddress? Address, int Port, bool IsHttps)
{
    /// <summary>True when only this machine can connect: <c>localhost</c>, 127.0.0.0/8 or ::1.</summary>
    public bool IsLoopback => Kind == ListenHostKind.Localhost || (Address is not null && IPAddress.IsLoopback(Address));

    /// <summary>Parses <paramref name="url"/>; a <see cref="FormatException"/> says what is wrong in one line (without the key).</summary>
    public static ListenAddress Parse(string? url, bool https)
    {
        var scheme = https ? "https" : "http";
        var example = $"{scheme}://0.0.0.0:{(https ? 8443 : 80)}";
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new FormatException($"empty; expected a URL like {example}");
        }

        // Uri does not accept "*" as a host, yet "https://*:8443" is the usual way to say "every address".
        var trimmed = url.Trim();
        var normalized = trimmed.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        var anyHost = normalized != trimmed;
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
        {
            throw new FormatException($"'{url}' is not a URL; expected e.g. {example}");
        }

        if (!string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{url}' must start with {scheme}://");
        }

        if (uri.AbsolutePath != "/" || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new FormatException($"'{url}' must be just {scheme}://HOST:PORT (no path, query or user)");
        }

        var port = uri.Port;
        if (anyHost)
        {
            return new ListenAddress(url, ListenHostKind.AnyAddress, null, port, https);
        }

        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(url, ListenHostKind.Localhost, null, port, https);
        }

        // Uri keeps the brackets of an IPv6 host.
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            throw new FormatException($"'{url}': the host must be an IP address, 'localhost' or '*' (a name could resolve to anything)");
        }

        return new ListenAddress(url, ListenHostKind.Address, address, port, https);
    }

    public override string ToString() => Url;
}
