using Microsoft.Extensions.Options;
using SecureCam.Network.Listening;

namespace SecureCam.Server.Configuration;

/// <summary>
/// The <c>Server</c> configuration section: bound by the configuration-binder source generator, completed by
/// <see cref="Resolve"/> and checked by <see cref="ServerSettingsValidator"/>, all registered once by
/// <see cref="SecureCamSettingsServices.AddSecureCamSettings"/> (docs/architecture.md, "Where are settings read?").
/// </summary>
internal sealed class ServerSettings
{
    public const string Section = "Server";

    /// <summary>The design's default: every IPv4 address, port 8443 (no root needed, no clash with 443).</summary>
    public static readonly string[] DefaultListen = ["https://0.0.0.0:8443"];

    // Derived at start from Server:Listen, Server:PublicListen and Server:HttpListen (a list, or one "a;b"
    // string from an environment variable). Fields, not properties: the binder binds only properties.

    /// <summary>HTTPS listeners (<c>Server:Listen</c>, a list or one "a;b" string): <see cref="DefaultListen"/> unless set.</summary>
    public IReadOnlyList<ListenAddress> Listen = [];

    /// <summary>
    /// HTTPS listeners the owner marks as reached from the internet (a router forwards its public
    /// address's port 443 here): a connection without SNI on one of them gets the ACME IP-address
    /// certificate; on <see cref="Listen"/> it gets one only when it arrived on an address the
    /// certificate names. Listened on in addition to <see cref="Listen"/>; empty by default.
    /// </summary>
    public IReadOnlyList<ListenAddress> PublicListen = [];

    /// <summary>Plain-HTTP listener that only redirects and answers ACME http-01 challenges; null = off.</summary>
    public ListenAddress? HttpListen;

    /// <summary>The local CA's folder, made absolute: Server:PkiDirectory, else $SECURECAM_PKI, else ./pki, as `securecam-pki` finds it.</summary>
    public string PkiDirectory { get; set; } = string.Empty;

    /// <summary>Which pki/issued/NAME/ the server presents: "server" is what `securecam-pki issue-server server` and the demo make.</summary>
    public string ServerCertificateName { get; set; } = "server";

    /// <summary>
    /// Where the server keeps what it must remember across restarts (every revocation seen). Default:
    /// $STATE_DIRECTORY (systemd's StateDirectory=), else pki/server-state. Outside the PKI folder it
    /// survives even a restore of the whole folder from a backup.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>Kestrel's total connection cap: 200 viewers plus headroom, low enough that a flood cannot exhaust the box.</summary>
    public int MaxConnections { get; set; } = 512;

    /// <summary>
    /// Connections one client certificate may hold (HTTP/1.1 browsers open up to 6 per host, plus streams
    /// in other tabs): a leaked certificate cannot take every connection.
    /// </summary>
    public int MaxConnectionsPerCertificate { get; set; } = 16;

    /// <summary>
    /// Connections one source address may hold, before any certificate is seen: enough for a household
    /// behind one NAT. Behind a tunnel every client comes from the tunnel's address: raise it there.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 32;

    /// <summary>
    /// Connections still in their TLS handshake: bounds what clients without a certificate can hold.
    /// Unless set, at most a quarter of <see cref="MaxConnections"/>, so a small cap still leaves room for viewers.
    /// </summary>
    public int MaxPendingHandshakes { get; set; } = 128;

    /// <summary>
    /// Connections kept for admin certificates when viewers hold all the rest: the owner is never locked out.
    /// Unless set, at most an eighth of <see cref="MaxConnections"/>.
    /// </summary>
    public int AdminReserve { get; set; } = 16;

    /// <summary>The plain-HTTP listener's own budget: it only redirects and answers ACME http-01.</summary>
    public int HttpMaxConnections { get; set; } = 32;

    /// <summary>Concurrent /video streams one certificate may hold: enough for a phone, a laptop and a TV; one leaked certificate cannot hog the camera.</summary>
    public int MaxStreamsPerCertificate { get; set; } = 3;

    /// <summary>A scanner that opens a socket and says nothing is dropped after this many seconds.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 10;

    /// <summary>Slowloris guard: the request line and headers must arrive within this many seconds.</summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>How long /snapshot waits for the camera, in seconds (a cold camera needs a moment to deliver its first frame).</summary>
    public int SnapshotTimeoutSeconds { get; set; } = 5;

    /// <summary>Which AEAD cipher comes first: detected from the CPU unless set (a Raspberry Pi 4 has no AES instructions).</summary>
    public CipherPreference CipherPreference { get; set; } = CipherPreference.Auto;

    /// <summary>
    /// How encrypted bytes leave: <c>direct</c> (16 KB records straight to the socket, for the CPU and memory per
    /// viewer measured in docs/benchmarks.md) or <c>kestrel</c> (stock Kestrel: the fallback should a .NET update
    /// break what direct relies on; docs/architecture.md, "The TLS plumbing").
    /// </summary>
    public TlsOutputMode TlsOutput { get; set; } = TlsOutputMode.Direct;

    public TimeSpan HandshakeTimeout => TimeSpan.FromSeconds(HandshakeTimeoutSeconds);

    public TimeSpan RequestHeadersTimeout => TimeSpan.FromSeconds(RequestHeadersTimeoutSeconds);

    public TimeSpan SnapshotTimeout => TimeSpan.FromSeconds(SnapshotTimeoutSeconds);

    /// <summary>
    /// After binding: the listen URLs through the one parser, the environment fallbacks, absolute paths and the
    /// defaults derived from <see cref="MaxConnections"/>. Throws <see cref="SettingException"/> naming the key.
    /// </summary>
    public void Resolve(IConfigurationSection section)
    {
        if (string.IsNullOrWhiteSpace(PkiDirectory))
        {
            PkiDirectory = Environment.GetEnvironmentVariable("SECURECAM_PKI") ?? string.Empty;
        }

        if (string.IsNullOrWhiteSpace(PkiDirectory))
        {
            PkiDirectory = "pki";
        }

        PkiDirectory = Path.GetFullPath(PkiDirectory);
        if (string.IsNullOrWhiteSpace(StateDirectory))
        {
            StateDirectory = Environment.GetEnvironmentVariable("STATE_DIRECTORY")?.Split(':')[0];
        }

        StateDirectory = string.IsNullOrWhiteSpace(StateDirectory) ? null : Path.GetFullPath(StateDirectory);
        if (string.IsNullOrWhiteSpace(section[nameof(MaxPendingHandshakes)]))
        {
            MaxPendingHandshakes = Math.Min(MaxPendingHandshakes, MaxConnections / 4);
        }

        if (string.IsNullOrWhiteSpace(section[nameof(AdminReserve)]))
        {
            AdminReserve = Math.Min(AdminReserve, MaxConnections / 8);
        }

        Listen = ReadListen(section);
        PublicListen = ReadPublicListen(section, Listen);
        HttpListen = section["HttpListen"] is { } http && !string.IsNullOrWhiteSpace(http) ? ParseListen($"{Section}:HttpListen", http, https: false) : null;
    }

    /// <summary>One listen URL of setting <paramref name="key"/>, through the one parser (<see cref="ListenAddress.Parse"/>).</summary>
    internal static ListenAddress ParseListen(string key, string? url, bool https)
    {
        try
        {
            return ListenAddress.Parse(url, https);
        }
        catch (FormatException ex)
        {
            throw new SettingException(key, ex.Message);
        }
    }

    private static List<ListenAddress> ReadListen(IConfigurationSection section)
    {
        var key = $"{Section}:Listen";
        var urls = SettingRules.ReadList(section.GetSection("Listen"));
        if (section.GetSection("Listen").Value is not null && urls.Count == 0)
        {
            throw new SettingException(key, "empty; expected at least one https:// URL");
        }

        if (urls.Count == 0)
        {
            urls.AddRange(DefaultListen.Select(u => (key, (string?)u)));
        }

        var result = urls.Select(u => ParseListen(u.Key, u.Value, https: true)).ToList();
        var duplicate = result.GroupBy(a => (a.Kind, a.Address, a.Port)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SettingException(key, $"'{duplicate.First().Url}' is listed twice");
        }

        return result;
    }

    private static List<ListenAddress> ReadPublicListen(IConfigurationSection section, IReadOnlyList<ListenAddress> listen)
    {
        var result = new List<ListenAddress>();
        foreach (var (urlKey, url) in SettingRules.ReadList(section.GetSection("PublicListen")))
        {
            var address = ParseListen(urlKey, url, https: true);
            if (listen.Concat(result).Any(a => a.Port == address.Port && a.Kind == address.Kind && Equals(a.Address, address.Address)))
            {
                throw new SettingException(urlKey, $"'{url}' is also in {Section}:Listen or listed twice; a public listener is its own address and port, e.g. the port the router forwards 443 to");
            }

            result.Add(address);
        }

        return result;
    }
}

/// <summary>The <c>Server</c> section's ranges and the rules between its keys; the first problem is the one line.</summary>
internal sealed class ServerSettingsValidator : IValidateOptions<ServerSettings>
{
    public ValidateOptionsResult Validate(string? name, ServerSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = ServerSettings.Section;
        var certificate = options.ServerCertificateName;
        if (string.IsNullOrEmpty(certificate) || certificate.IndexOfAny(['/', '\\', '\0']) >= 0 || certificate is "." or "..")
        {
            return SettingRules.Fail($"{key}:ServerCertificateName", $"'{certificate}' is not a certificate name under pki/issued/");
        }

        return SettingRules.First(
            SettingRules.Range($"{key}:MaxConnections", options.MaxConnections, 3, 100_000),
            SettingRules.Range($"{key}:MaxPendingHandshakes", options.MaxPendingHandshakes, 1, 100_000),
            SettingRules.Range($"{key}:AdminReserve", options.AdminReserve, 0, 100_000),
            options.MaxPendingHandshakes + options.AdminReserve >= options.MaxConnections
                ? $"{key}:MaxConnections: {options.MaxConnections} leaves no room for viewers after MaxPendingHandshakes ({options.MaxPendingHandshakes}) and AdminReserve ({options.AdminReserve})"
                : null,
            SettingRules.Range($"{key}:MaxConnectionsPerCertificate", options.MaxConnectionsPerCertificate, 1, 10_000),
            SettingRules.Range($"{key}:MaxConnectionsPerAddress", options.MaxConnectionsPerAddress, 1, 100_000),
            SettingRules.Range($"{key}:HttpMaxConnections", options.HttpMaxConnections, 1, 10_000),
            SettingRules.Range($"{key}:MaxStreamsPerCertificate", options.MaxStreamsPerCertificate, 1, 100),
            SettingRules.Range($"{key}:HandshakeTimeoutSeconds", options.HandshakeTimeoutSeconds, 1, 300),
            SettingRules.Range($"{key}:RequestHeadersTimeoutSeconds", options.RequestHeadersTimeoutSeconds, 1, 300),
            SettingRules.Range($"{key}:SnapshotTimeoutSeconds", options.SnapshotTimeoutSeconds, 1, 120),
            SettingRules.Defined($"{key}:CipherPreference", options.CipherPreference),
            SettingRules.Defined($"{key}:TlsOutput", options.TlsOutput));
    }
}

/// <summary>Which AEAD cipher the server puts first (<c>Server:CipherPreference</c>); the offered set is the same either way.</summary>
internal enum CipherPreference
{
    /// <summary>AES-128-GCM first where the CPU has AES instructions, ChaCha20-Poly1305 first where it has none.</summary>
    Auto,

    /// <summary>AES-128-GCM first, whatever the CPU.</summary>
    Aes,

    /// <summary>ChaCha20-Poly1305 first, whatever the CPU.</summary>
    ChaCha20,
}
