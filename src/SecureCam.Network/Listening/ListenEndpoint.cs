using System.Net;

namespace SecureCam.Network.Listening;

/// <summary>
/// One configured listen URL (Server:Listen) read the way Kestrel reads it: "*", "+" and 0.0.0.0 mean
/// every IPv4 interface, [::] every interface, "localhost" the loopback addresses, a missing port the
/// scheme's default.
/// </summary>
public sealed record ListenEndpoint(string Url, string Host, IPAddress? Address, int Port)
{
    public static ListenEndpoint Parse(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);

        // Uri rejects "*" and "+" as hosts; Kestrel accepts them, so swap them for 0.0.0.0 first.
        var normalised = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new FormatException($"Not a listen URL (expected https://ADDRESS:PORT): {url}");
        }

        var host = uri.Host.Trim('[', ']');
        IPAddress? address = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed : null;
        return new ListenEndpoint(url, host, address, uri.Port);
    }
}
