using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SecureCam.Network.Addresses;
using SecureCam.Network.Listening;

namespace SecureCam.Server.Demo;

/// <summary>What `securecam demo` prints once the server listens: where to browse, a curl line, the .p12 and its password.</summary>
internal static class DemoBanner
{
    public static string Render(DemoPki pki, IReadOnlyList<ListenAddress> listen)
    {
        var lines = new List<string> { string.Empty, "SecureCam demo is running.", string.Empty, "Open in a browser that holds the demo-viewer certificate:" };
        var urls = Urls(listen).ToList();
        lines.AddRange(urls.Select(u => "  " + u));
        var first = urls.FirstOrDefault() ?? "https://localhost:8443/";
        lines.Add(string.Empty);
        lines.Add("Try it from this machine:");
        lines.Add($"  curl --cacert {Relative(pki.CaCertificatePath)} --cert {Relative(pki.ClientCertificatePath)} --key {Relative(pki.ClientKeyPath)} {first}snapshot -o snap.jpg");
        lines.Add(string.Empty);
        lines.Add($"Client certificate for a phone or browser: {Relative(pki.Pkcs12Path)}");
        if (pki.Pkcs12Password is not null)
        {
            lines.Add($"  its password: {pki.Pkcs12Password}");
            lines.Add($"  (kept for the demo only in {Relative(pki.PasswordFile!)}, mode 0600)");
        }
        else
        {
            lines.Add("  its password was shown when it was issued and is stored nowhere; `securecam-pki renew demo-viewer` makes a new one.");
        }

        lines.Add($"Also trust the demo CA on that device: {Relative(pki.CaCertificatePath)}");
        lines.Add(string.Empty);
        return string.Join(Environment.NewLine, lines);
    }

    private static IEnumerable<string> Urls(IReadOnlyList<ListenAddress> listen)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var address in listen)
        {
            var port = address.Port.ToString(CultureInfo.InvariantCulture);
            IEnumerable<string> hosts = address.Kind switch
            {
                ListenHostKind.Localhost => ["localhost"],
                ListenHostKind.AnyAddress => EveryHost(),
                _ when address.Address!.Equals(IPAddress.Any) || address.Address.Equals(IPAddress.IPv6Any) => EveryHost(),
                _ => [Host(address.Address!)],
            };
            foreach (var host in hosts)
            {
                var url = $"https://{host}:{port}/";
                if (seen.Add(url))
                {
                    yield return url;
                }
            }
        }
    }

    /// <summary>Where a listener on every address is reached: localhost, this box's names, then its LAN addresses.</summary>
    private static IEnumerable<string> EveryHost()
    {
        foreach (var name in LanAddresses.DnsNames(Dns.GetHostName()))
        {
            yield return name;
        }

        foreach (var address in LanAddresses.Read())
        {
            yield return Host(address);
        }
    }

    private static string Host(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    /// <summary>
    /// Paths under the current folder are shown relative (shorter to paste), others absolute; quoted for
    /// a POSIX shell when they hold anything but plain characters, so the pasted line still works.
    /// </summary>
    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        var shown = relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
        return shown.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ',' or ':' or '=' or '@')
            ? shown
            : "'" + shown.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
