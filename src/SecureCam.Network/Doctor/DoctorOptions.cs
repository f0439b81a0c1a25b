using System.Net;
using SecureCam.Network.Clock;
using SecureCam.Network.Listening;

namespace SecureCam.Network.Doctor;

/// <summary>
/// What `securecam doctor` checks against. The CLI fills the server's part (listen addresses, PKI folder,
/// certificate name, ACME identifiers) from the same settings `serve` reads, already validated.
/// </summary>
public sealed class DoctorOptions
{
    /// <summary>The server's default (Server:Listen): every IPv4 interface, a port that needs no root.</summary>
    public IReadOnlyList<ListenAddress> Listen { get; init; } = [ListenAddress.Parse("https://0.0.0.0:8443", https: true)];

    public string PkiDirectory { get; init; } = "pki";

    public string ServerCertificateName { get; init; } = "server";

    /// <summary>The router's WAN address, read from its status page.</summary>
    public IPAddress? WanIp { get; init; }

    /// <summary>The address the internet sees, when known.</summary>
    public IPAddress? PublicIp { get; init; }

    /// <summary>Acme:Identifiers (or the older Acme:Domains) when ACME is on: with no DNS name among them, a public IPv4 gets the IP-certificate advice.</summary>
    public IReadOnlyList<string> AcmeIdentifiers { get; init; } = [];

    /// <summary>A "what is my IP" URL answering with the address as plain text; called only when set.</summary>
    public Uri? PublicIpUrl { get; init; }

    /// <summary>The SNTP server; null skips the clock check.</summary>
    public NtpServerAddress? NtpServer { get; init; } = new("pool.ntp.org", NtpServerAddress.DefaultPort);

    public TimeSpan NtpTimeout { get; init; } = SntpClient.DefaultTimeout;

    /// <summary>Short because the doctor is run by a waiting person and offline boxes are a normal case.</summary>
    public TimeSpan PublicIpTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public string HostName { get; init; } = Dns.GetHostName();

    /// <summary>Throws <see cref="FormatException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (Listen.Count == 0)
        {
            throw new FormatException("Server:Listen is empty: give at least one URL, e.g. https://0.0.0.0:8443");
        }

        if (PublicIpUrl is not null && PublicIpUrl.Scheme != Uri.UriSchemeHttp && PublicIpUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new FormatException($"--public-ip-url must be an http(s) URL: {PublicIpUrl}");
        }
    }
}
