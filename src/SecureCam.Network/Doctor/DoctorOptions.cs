using System.Net;
using SecureCam.Network.Clock;
using SecureCam.Network.Listening;

namespace SecureCam.Network.Doctor;

/// <summary>What `securecam doctor` checks against; the CLI fills it from options and configuration.</summary>
public sealed class DoctorOptions
{
    /// <summary>Kestrel's default in SecureCam: every IPv4 interface, a port that needs no root.</summary>
    public const string DefaultListenUrl = "https://0.0.0.0:8443";

    public IReadOnlyList<string> ListenUrls { get; init; } = [DefaultListenUrl];

    public string PkiDirectory { get; init; } = "pki";

    public string ServerCertificateName { get; init; } = "server";

    /// <summary>The router's WAN address, read from its status page.</summary>
    public IPAddress? WanIp { get; init; }

    /// <summary>The address the internet sees, when known.</summary>
    public IPAddress? PublicIp { get; init; }

    /// <summary>Acme:Identifiers (or the older Acme:Domains) from the configuration: with no DNS name among them, a public IPv4 gets the IP-certificate advice.</summary>
    public IReadOnlyList<string> AcmeIdentifiers { get; init; } = [];

    /// <summary>A "what is my IP" URL answering with the address as plain text; called only when set.</summary>
    public Uri? PublicIpUrl { get; init; }

    /// <summary>The SNTP server; null skips the clock check.</summary>
    public NtpServerAddress? NtpServer { get; init; } = new("pool.ntp.org", NtpServerAddress.DefaultPort);

    public TimeSpan NtpTimeout { get; init; } = SntpClient.DefaultTimeout;

    /// <summary>Short because the doctor is run by a waiting person and offline boxes are a normal case.</summary>
    public TimeSpan PublicIpTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public string HostName { get; init; } = Dns.GetHostName();

    /// <summary>Throws <see cref="FormatException"/> naming the bad setting.</summary>
    public IReadOnlyList<ListenEndpoint> Validate()
    {
        if (ListenUrls.Count == 0)
        {
            throw new FormatException("Server:Listen is empty: give at least one URL, e.g. " + DefaultListenUrl);
        }

        if (string.IsNullOrWhiteSpace(ServerCertificateName) || ServerCertificateName.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"Server:ServerCertificateName is not a name: '{ServerCertificateName}'");
        }

        if (PublicIpUrl is not null && PublicIpUrl.Scheme != Uri.UriSchemeHttp && PublicIpUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new FormatException($"--public-ip-url must be an http(s) URL: {PublicIpUrl}");
        }

        return ListenUrls.Select(url =>
        {
            try
            {
                return ListenEndpoint.Parse(url);
            }
            catch (FormatException e)
            {
                throw new FormatException($"Server:Listen: {e.Message}", e);
            }
        }).ToList();
    }
}
