using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using SecureCam.Acme;
using SecureCam.Network.Listening;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Acme;

/// <summary>
/// The <c>Acme</c> configuration section, read and validated once at start: every problem is one
/// <see cref="SettingException"/> naming its key. Off unless <c>Acme:Enabled</c> is true; when off,
/// nothing else in the section is looked at.
/// </summary>
internal sealed partial class AcmeSettings
{
    public const string Section = "Acme";

    public bool Enabled { get; private init; }

    public Uri DirectoryUrl { get; private init; } = null!;

    public string? Email { get; private init; }

    /// <summary>
    /// What the certificate names, from <c>Acme:Identifiers</c> (or the older <c>Acme:Domains</c>): DNS
    /// names and IP addresses (RFC 8738), addresses in canonical text.
    /// </summary>
    public IReadOnlyList<string> Domains { get; private init; } = [];

    /// <summary>The IP addresses among <see cref="Domains"/>.</summary>
    public IReadOnlyList<IPAddress> Addresses => Domains.Select(d => IPAddress.TryParse(d, out var a) ? a : null).OfType<IPAddress>().ToList();

    /// <summary><c>Acme:Profile</c>: the CA's certificate profile (e.g. shortlived), checked against its directory; null = the CA's default.</summary>
    public string? Profile { get; private init; }

    /// <summary><see cref="ChallengeTypes.Http01"/> or <see cref="ChallengeTypes.TlsAlpn01"/>.</summary>
    public string Challenge { get; private init; } = ChallengeTypes.TlsAlpn01;

    /// <summary>
    /// The plain-HTTP listener http-01 needs when <c>Server:HttpListen</c> is not set (every address,
    /// <c>Acme:HttpPort</c>); null when the server's own plain listener serves it, or for tls-alpn-01.
    /// </summary>
    public ListenAddress? ExtraHttpListen { get; private init; }

    public string? TrustedRootFile { get; private init; }

    public string StorageDirectory { get; private init; } = "";

    /// <summary>How often the certificate is looked at (<c>Acme:CheckIntervalMinutes</c>, at most 720): twice a day, because a CA's renewal window (ARI) can move.</summary>
    public TimeSpan CheckInterval { get; private init; } = TimeSpan.FromHours(12);

    /// <summary>The first wait after a failed order (<c>Acme:RetryFirstDelaySeconds</c>): time to fix a port forward, soon enough that the owner sees the fix work.</summary>
    public TimeSpan RetryFirstDelay { get; private init; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between failed orders (<c>Acme:RetryMaxDelaySeconds</c>): four tries a day while the old certificate keeps serving.</summary>
    public TimeSpan RetryMaxDelay { get; private init; } = TimeSpan.FromHours(6);

    public ExternalAccountBindingKey? ExternalAccountBinding { get; private init; }

    /// <summary>The router's WAN address (hint for the reachability warning), as `securecam doctor --wan-ip`.</summary>
    public IPAddress? WanIp { get; private init; }

    /// <summary>The address the internet sees (hint), as `securecam doctor --public-ip`.</summary>
    public IPAddress? PublicIp { get; private init; }

    /// <summary>The port the CA connects to for this challenge type (RFC 8555 §8.3, RFC 8737 §3): fixed, whatever the box listens on.</summary>
    public int CaPort => Challenge == ChallengeTypes.Http01 ? 80 : 443;

    /// <summary>ACME off; its properties are also the defaults the reader falls back to.</summary>
    public static AcmeSettings Disabled { get; } = new();

    public static AcmeSettings Read(IConfiguration configuration, ServerSettings server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var section = configuration.GetSection(Section);
        if (!ReadBool(section, "Enabled", false))
        {
            return Disabled;
        }

        var challenge = (section["Challenge"] ?? ChallengeTypes.TlsAlpn01).Trim().ToLowerInvariant();
        if (!ChallengeTypes.IsSupported(challenge))
        {
            throw new SettingException(Key("Challenge"), $"'{section["Challenge"]}' is not a challenge type; use http-01 (port 80, plain HTTP) or tls-alpn-01 (port 443, in the TLS handshake)");
        }

        if (!ReadBool(section, "TermsAccepted", false))
        {
            throw new SettingException(Key("TermsAccepted"), "must be true to use ACME: read the CA's terms of service (its directory names them) and set Acme:TermsAccepted=true");
        }

        var firstDelay = TimeSpan.FromSeconds(ReadInt(section, "RetryFirstDelaySeconds", (int)Disabled.RetryFirstDelay.TotalSeconds, 1, 86_400));
        var maxDelay = TimeSpan.FromSeconds(ReadInt(section, "RetryMaxDelaySeconds", (int)Disabled.RetryMaxDelay.TotalSeconds, 1, 86_400));
        if (maxDelay < firstDelay)
        {
            throw new SettingException(Key("RetryMaxDelaySeconds"), $"{maxDelay.TotalSeconds:0} is below Acme:RetryFirstDelaySeconds ({firstDelay.TotalSeconds:0})");
        }

        return new AcmeSettings
        {
            Enabled = true,
            DirectoryUrl = ReadDirectory(section),
            Email = ReadEmail(section),
            Domains = ReadIdentifiers(section),
            Profile = ReadProfile(section),
            Challenge = challenge,
            ExtraHttpListen = challenge == ChallengeTypes.Http01 ? ReadHttpListener(section, server) : null,
            TrustedRootFile = ReadTrustedRoots(section),
            StorageDirectory = Path.GetFullPath(section["StorageDirectory"] is { Length: > 0 } storage ? storage : Path.Combine(server.PkiDirectory, "acme")),
            CheckInterval = TimeSpan.FromMinutes(ReadInt(section, "CheckIntervalMinutes", (int)Disabled.CheckInterval.TotalMinutes, 1, 720)),
            RetryFirstDelay = firstDelay,
            RetryMaxDelay = maxDelay,
            ExternalAccountBinding = ReadEab(section),
            WanIp = ReadAddress(section, "WanIp"),
            PublicIp = ReadAddress(section, "PublicIp"),
        };
    }

    /// <summary>The library's options for these settings (validated by the manager at construction).</summary>
    public AcmeManagerOptions CreateManagerOptions()
    {
        var options = new AcmeManagerOptions
        {
            AcceptTermsOfService = true,
            ExternalAccountBinding = ExternalAccountBinding,
            CheckInterval = CheckInterval,
            RetryInitialDelay = RetryFirstDelay,
            RetryMaxDelay = RetryMaxDelay,
            Profile = Profile,
        };
        options.Client.DirectoryUri = DirectoryUrl;
        if (TrustedRootFile is not null)
        {
            options.Client.TrustRootsFromPemFile(TrustedRootFile);
        }

        foreach (var domain in Domains)
        {
            options.Domains.Add(domain);
        }

        if (Email is not null)
        {
            options.Emails.Add(Email);
        }

        return options;
    }

    private static string Key(string name) => $"{Section}:{name}";

    private static Uri ReadDirectory(IConfigurationSection section)
    {
        var raw = section["DirectoryUrl"];
        if (string.IsNullOrWhiteSpace(raw))
        {
            throw new SettingException(Key("DirectoryUrl"), "missing; the CA's directory, e.g. https://acme-v02.api.letsencrypt.org/directory");
        }

        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new SettingException(Key("DirectoryUrl"), $"'{raw}' is not an https:// URL");
        }

        return uri;
    }

    private static string? ReadEmail(IConfigurationSection section)
    {
        var raw = section["Email"]?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (!EmailPattern().IsMatch(raw))
        {
            throw new SettingException(Key("Email"), $"'{raw}' is not an e-mail address");
        }

        return raw;
    }

    /// <summary>
    /// <c>Acme:Identifiers</c>, or its older name <c>Acme:Domains</c>: DNS names and IP addresses (RFC 8738).
    /// Addresses come out in their canonical text (IPv6 compressed, lower case), as the CA writes them.
    /// </summary>
    private static List<string> ReadIdentifiers(IConfigurationSection section)
    {
        var identifiers = ReadList(section, "Identifiers");
        var domains = ReadList(section, "Domains");
        if (identifiers.Length > 0 && domains.Length > 0)
        {
            throw new SettingException(Key("Domains"), "is the older name of Acme:Identifiers; set one of them, not both");
        }

        var key = Key(identifiers.Length > 0 ? "Identifiers" : "Domains");
        var raw = identifiers.Length > 0 ? identifiers : domains;
        if (raw.Length == 0)
        {
            throw new SettingException(Key("Identifiers"), "missing; the DNS names or IP addresses the certificate is for, e.g. [\"cam.example.org\"] or [\"203.0.113.7\"]");
        }

        var names = new List<string>();
        foreach (var name in raw)
        {
            var domain = name.TrimEnd('.').ToLowerInvariant();
            if (IPAddress.TryParse(domain.Trim('[', ']'), out var address))
            {
                if (address.IsIPv4MappedToIPv6 || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0))
                {
                    throw new SettingException(key, $"'{name}' is a scoped or IPv4-mapped address; give the plain public address");
                }

                var canonical = address.ToString();
                if (!names.Contains(canonical))
                {
                    names.Add(canonical);
                }

                continue;
            }

            if (domain.StartsWith("*.", StringComparison.Ordinal))
            {
                throw new SettingException(key, $"'{name}' is a wildcard, which needs dns-01; http-01 and tls-alpn-01 can only prove single names");
            }

            if (!DomainPattern().IsMatch(domain) || domain.Length > 253)
            {
                throw new SettingException(key, $"'{name}' is neither a DNS name nor an IP address");
            }

            if (!names.Contains(domain))
            {
                names.Add(domain);
            }
        }

        return names;
    }

    /// <summary>A list setting: a JSON array, or one string "a;b" (an environment variable holds one string).</summary>
    private static string[] ReadList(IConfigurationSection section, string name)
    {
        var list = section.GetSection(name);
        return list.Value is { } single
            ? single.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : list.GetChildren().Select(c => c.Value?.Trim() ?? "").Where(v => v.Length > 0).ToArray();
    }

    private static string? ReadProfile(IConfigurationSection section)
    {
        var raw = section["Profile"]?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        // The CA's directory decides which names exist; this only refuses what no directory could list.
        return ProfilePattern().IsMatch(raw)
            ? raw
            : throw new SettingException(Key("Profile"), $"'{raw}' is not a profile name (letters, digits, '-', '_', '.'), e.g. shortlived or tlsserver");
    }

    private static ListenAddress? ReadHttpListener(IConfigurationSection section, ServerSettings server)
    {
        var raw = section["HttpPort"];
        var port = ReadInt(section, "HttpPort", 80, 1, 65_535);
        if (server.HttpListen is { } plain)
        {
            if (!string.IsNullOrWhiteSpace(raw) && plain.Port != port)
            {
                throw new SettingException(Key("HttpPort"), $"{port} differs from the port of Server:HttpListen ({plain.Url}), which answers http-01; leave one of them out");
            }

            return null;
        }

        // Every address, IPv4 and IPv6: the CA may connect over either (Pebble tries ::1 first).
        return new ListenAddress($"http://*:{port.ToString(CultureInfo.InvariantCulture)}", ListenHostKind.AnyAddress, null, port, IsHttps: false);
    }

    private static string? ReadTrustedRoots(IConfigurationSection section)
    {
        var raw = section["TrustedRootFile"];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var path = Path.GetFullPath(raw);
        if (!File.Exists(path))
        {
            throw new SettingException(Key("TrustedRootFile"), $"{path} does not exist");
        }

        try
        {
            new AcmeClientOptions().TrustRootsFromPemFile(path);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new SettingException(Key("TrustedRootFile"), $"{path}: {ex.Message}");
        }

        return path;
    }

    private static ExternalAccountBindingKey? ReadEab(IConfigurationSection section)
    {
        var keyId = section["EabKeyId"];
        var macKey = section["EabHmacKey"];
        if (string.IsNullOrWhiteSpace(keyId) && string.IsNullOrWhiteSpace(macKey))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(keyId) || string.IsNullOrWhiteSpace(macKey))
        {
            throw new SettingException(Key(string.IsNullOrWhiteSpace(keyId) ? "EabKeyId" : "EabHmacKey"), "external account binding needs both Acme:EabKeyId and Acme:EabHmacKey");
        }

        try
        {
            return ExternalAccountBindingKey.FromBase64Url(keyId, macKey);
        }
        catch (FormatException)
        {
            // The key itself is a secret: never echoed.
            throw new SettingException(Key("EabHmacKey"), "is not base64url as the CA printed it");
        }
    }

    private static IPAddress? ReadAddress(IConfigurationSection section, string name)
    {
        var raw = section[name];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return IPAddress.TryParse(raw.Trim(), out var address)
            ? address
            : throw new SettingException(Key(name), $"'{raw}' is not an IP address");
    }

    private static bool ReadBool(IConfigurationSection section, string name, bool fallback)
    {
        var raw = section[name];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        return bool.TryParse(raw.Trim(), out var value)
            ? value
            : throw new SettingException(Key(name), $"'{raw}' is not true or false");
    }

    private static int ReadInt(IConfigurationSection section, string name, int fallback, int min, int max)
    {
        var raw = section[name];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new SettingException(Key(name), $"'{raw}' is not a whole number from {min} to {max}");
        }

        return value;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ProfilePattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex DomainPattern();
}
