using System.Globalization;
using SecureCam.Network.Listening;

namespace SecureCam.Server.Configuration;

/// <summary>
/// The <c>Server</c> configuration section, read and validated once at start through
/// <see cref="SecureCamSettings"/> (docs/architecture.md, "Where are settings read?"). Every problem is
/// reported as a <see cref="SettingException"/> naming its key.
/// </summary>
internal sealed class ServerSettings
{
    public const string Section = "Server";

    /// <summary>The design's default: every IPv4 address, port 8443 (no root needed, no clash with 443).</summary>
    public static readonly string[] DefaultListen = ["https://0.0.0.0:8443"];

    /// <summary>HTTPS listeners (<c>Server:Listen</c>, a list or one "a;b" string): <see cref="DefaultListen"/> unless set.</summary>
    public required IReadOnlyList<ListenAddress> Listen { get; init; }

    /// <summary>
    /// HTTPS listeners the owner marks as reached from the internet (a router forwards its public
    /// address's port 443 here): a connection without SNI on one of them gets the ACME IP-address
    /// certificate; on <see cref="Listen"/> it gets one only when it arrived on an address the
    /// certificate names. Listened on in addition to <see cref="Listen"/>; empty by default.
    /// </summary>
    public IReadOnlyList<ListenAddress> PublicListen { get; init; } = [];

    /// <summary>The local CA's folder, made absolute: Server:PkiDirectory, else $SECURECAM_PKI, else ./pki, as `securecam-pki` finds it.</summary>
    public required string PkiDirectory { get; init; }

    /// <summary>Which pki/issued/NAME/ the server presents: "server" is what `securecam-pki issue-server server` and the demo make.</summary>
    public string ServerCertificateName { get; init; } = "server";

    /// <summary>
    /// Where the server keeps what it must remember across restarts (every revocation seen). Default:
    /// $STATE_DIRECTORY (systemd's StateDirectory=), else pki/server-state. Outside the PKI folder it
    /// survives even a restore of the whole folder from a backup.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>Plain-HTTP listener that only redirects and answers ACME http-01 challenges; null = off.</summary>
    public ListenAddress? HttpListen { get; init; }

    /// <summary>Kestrel's total connection cap: 200 viewers plus headroom, low enough that a flood cannot exhaust the box.</summary>
    public int MaxConnections { get; init; } = 512;

    /// <summary>
    /// Connections one client certificate may hold (HTTP/1.1 browsers open up to 6 per host, plus streams
    /// in other tabs): a leaked certificate cannot take every connection.
    /// </summary>
    public int MaxConnectionsPerCertificate { get; init; } = 16;

    /// <summary>
    /// Connections one source address may hold, before any certificate is seen: enough for a household
    /// behind one NAT. Behind a tunnel every client comes from the tunnel's address: raise it there.
    /// </summary>
    public int MaxConnectionsPerAddress { get; init; } = 32;

    /// <summary>Connections still in their TLS handshake: bounds what clients without a certificate can hold.</summary>
    public int MaxPendingHandshakes { get; init; } = 128;

    /// <summary>Connections kept for admin certificates when viewers hold all the rest: the owner is never locked out.</summary>
    public int AdminReserve { get; init; } = 16;

    /// <summary>The plain-HTTP listener's own budget: it only redirects and answers ACME http-01.</summary>
    public int HttpMaxConnections { get; init; } = 32;

    /// <summary>Concurrent /video streams one certificate may hold: enough for a phone, a laptop and a TV; one leaked certificate cannot hog the camera.</summary>
    public int MaxStreamsPerCertificate { get; init; } = 3;

    /// <summary>A scanner that opens a socket and says nothing is dropped after this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Slowloris guard: the request line and headers must arrive within this.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long /snapshot waits for the camera (a cold camera needs a moment to deliver its first frame).</summary>
    public TimeSpan SnapshotTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Which AEAD cipher comes first: detected from the CPU unless set (a Raspberry Pi 4 has no AES instructions).</summary>
    public CipherPreference CipherPreference { get; init; } = CipherPreference.Auto;

    /// <summary>
    /// How encrypted bytes leave: <c>direct</c> (16 KB records straight to the socket, for the CPU and memory per
    /// viewer measured in docs/benchmarks.md) or <c>kestrel</c> (stock Kestrel: the fallback should a .NET update
    /// break what direct relies on; docs/architecture.md, "The TLS plumbing").
    /// </summary>
    public TlsOutputMode TlsOutput { get; init; } = TlsOutputMode.Direct;

    /// <summary>The property initializers above, read back so each default is written once.</summary>
    private static readonly ServerSettings Defaults = new() { Listen = [], PkiDirectory = string.Empty };

    public static ServerSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var listen = ReadListen(section);
        var pki = section["PkiDirectory"];
        if (string.IsNullOrWhiteSpace(pki))
        {
            pki = Environment.GetEnvironmentVariable("SECURECAM_PKI");
        }

        if (string.IsNullOrWhiteSpace(pki))
        {
            pki = "pki";
        }

        var certificateName = section["ServerCertificateName"] ?? Defaults.ServerCertificateName;
        if (certificateName.Length == 0 || certificateName.IndexOfAny(['/', '\\', '\0']) >= 0 || certificateName is "." or "..")
        {
            throw new SettingException($"{Section}:ServerCertificateName", $"'{certificateName}' is not a certificate name under pki/issued/");
        }

        var state = section["StateDirectory"];
        if (string.IsNullOrWhiteSpace(state))
        {
            state = Environment.GetEnvironmentVariable("STATE_DIRECTORY")?.Split(':')[0];
        }

        var httpListen = section["HttpListen"];
        var maxConnections = ReadInt(section, "MaxConnections", Defaults.MaxConnections, 3, 100_000);
        var pending = ReadInt(section, "MaxPendingHandshakes", Math.Min(Defaults.MaxPendingHandshakes, maxConnections / 4), 1, 100_000);
        var reserve = ReadInt(section, "AdminReserve", Math.Min(Defaults.AdminReserve, maxConnections / 8), 0, 100_000);
        if (pending + reserve >= maxConnections)
        {
            throw new SettingException($"{Section}:MaxConnections", $"{maxConnections} leaves no room for viewers after MaxPendingHandshakes ({pending}) and AdminReserve ({reserve})");
        }

        return new ServerSettings
        {
            Listen = listen,
            PublicListen = ReadPublicListen(section, listen),
            PkiDirectory = Path.GetFullPath(pki),
            ServerCertificateName = certificateName,
            StateDirectory = string.IsNullOrWhiteSpace(state) ? null : Path.GetFullPath(state),
            HttpListen = string.IsNullOrWhiteSpace(httpListen) ? null : ParseListen($"{Section}:HttpListen", httpListen, https: false),
            MaxConnections = maxConnections,
            MaxConnectionsPerCertificate = ReadInt(section, "MaxConnectionsPerCertificate", Defaults.MaxConnectionsPerCertificate, 1, 10_000),
            MaxConnectionsPerAddress = ReadInt(section, "MaxConnectionsPerAddress", Defaults.MaxConnectionsPerAddress, 1, 100_000),
            MaxPendingHandshakes = pending,
            AdminReserve = reserve,
            HttpMaxConnections = ReadInt(section, "HttpMaxConnections", Defaults.HttpMaxConnections, 1, 10_000),
            MaxStreamsPerCertificate = ReadInt(section, "MaxStreamsPerCertificate", Defaults.MaxStreamsPerCertificate, 1, 100),
            HandshakeTimeout = ReadSeconds(section, "HandshakeTimeoutSeconds", Defaults.HandshakeTimeout, 1, 300),
            RequestHeadersTimeout = ReadSeconds(section, "RequestHeadersTimeoutSeconds", Defaults.RequestHeadersTimeout, 1, 300),
            SnapshotTimeout = ReadSeconds(section, "SnapshotTimeoutSeconds", Defaults.SnapshotTimeout, 1, 120),
            CipherPreference = ReadCipherPreference(section),
            TlsOutput = section["TlsOutput"]?.Trim().ToLowerInvariant() switch
            {
                null or "" or "direct" => TlsOutputMode.Direct,
                "kestrel" => TlsOutputMode.Kestrel,
                _ => throw new SettingException($"{Section}:TlsOutput", $"'{section["TlsOutput"]}' is not one of direct, kestrel"),
            },
        };
    }

    private static List<ListenAddress> ReadListen(IConfigurationSection section)
    {
        var key = $"{Section}:Listen";
        var listenSection = section.GetSection("Listen");
        var urls = new List<(string Key, string? Url)>();
        if (listenSection.Value is { } single)
        {
            // An environment variable holds one string: allow "https://a:1;https://b:2".
            var parts = single.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            urls.AddRange(parts.Select(p => (key, (string?)p)));
            if (parts.Length == 0)
            {
                throw new SettingException(key, "empty; expected at least one https:// URL");
            }
        }
        else
        {
            urls.AddRange(listenSection.GetChildren().Select(c => (c.Path, c.Value)));
        }

        if (urls.Count == 0)
        {
            urls.AddRange(DefaultListen.Select(u => (key, (string?)u)));
        }

        var result = urls.Select(u => ParseListen(u.Key, u.Url, https: true)).ToList();
        var duplicate = result.GroupBy(a => (a.Kind, a.Address, a.Port)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SettingException(key, $"'{duplicate.First().Url}' is listed twice");
        }

        return result;
    }

    private static List<ListenAddress> ReadPublicListen(IConfigurationSection section, List<ListenAddress> listen)
    {
        var key = $"{Section}:PublicListen";
        var publicSection = section.GetSection("PublicListen");
        var urls = publicSection.Value is { } single
            ? single.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => (Key: key, Url: (string?)u)).ToList()
            : publicSection.GetChildren().Select(c => (Key: c.Path, Url: c.Value)).ToList();
        var result = new List<ListenAddress>();
        foreach (var (urlKey, url) in urls)
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

    private static CipherPreference ReadCipherPreference(IConfigurationSection section) => section["CipherPreference"]?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => CipherPreference.Auto,
        "aes" => CipherPreference.Aes,
        "chacha20" => CipherPreference.ChaCha20,
        _ => throw new SettingException($"{Section}:CipherPreference", $"'{section["CipherPreference"]}' is not one of auto, aes, chacha20"),
    };

    private static TimeSpan ReadSeconds(IConfigurationSection section, string name, TimeSpan fallback, int min, int max) =>
        TimeSpan.FromSeconds(ReadInt(section, name, (int)fallback.TotalSeconds, min, max));

    private static int ReadInt(IConfigurationSection section, string name, int fallback, int min, int max)
    {
        var raw = section[name];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new SettingException($"{Section}:{name}", $"'{raw}' is not a whole number from {min} to {max}");
        }

        return value;
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
