using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SecureCam.Acme;
using SecureCam.Network.Listening;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Acme;

/// <summary>
/// The <c>Acme</c> configuration section, registered by <see cref="SecureCamSettingsServices.AddSecureCamSettings"/>:
/// bound, completed by <see cref="Resolve"/>, checked by <see cref="AcmeSettingsValidator"/>; every problem is one
/// line naming its key. Off unless <c>Acme:Enabled</c> is true; when off, nothing else in the section is checked.
/// </summary>
internal sealed partial class AcmeSettings
{
    public const string Section = "Acme";

    /// <summary>Off by default: ACME needs a public address the CA can reach, and the owner's consent to the CA's terms.</summary>
    public bool Enabled { get; set; }

    /// <summary>The CA's directory (https://), e.g. https://acme-v02.api.letsencrypt.org/directory; required when on.</summary>
    public Uri? DirectoryUrl { get; set; }

    /// <summary>The owner's e-mail for the CA's expiry notices; optional.</summary>
    public string? Email { get; set; }

    /// <summary>Must be true: the owner has read the CA's terms of service (its directory names them).</summary>
    public bool TermsAccepted { get; set; }

    /// <summary><c>Acme:Profile</c>: the CA's certificate profile (e.g. shortlived), checked against its directory; null = the CA's default.</summary>
    public string? Profile { get; set; }

    /// <summary>
    /// <see cref="ChallengeTypes.TlsAlpn01"/> by default: it needs only the HTTPS port the camera already serves;
    /// <see cref="ChallengeTypes.Http01"/> needs port 80 as well.
    /// </summary>
    public string Challenge { get; set; } = ChallengeTypes.TlsAlpn01;

    /// <summary>The port http-01's plain listener opens when <c>Server:HttpListen</c> is not set: 80, where the CA connects (a router may forward another).</summary>
    public int HttpPort { get; set; } = 80;

    /// <summary>A PEM file of roots the CA's HTTPS must chain to instead of the system's (a private CA such as Pebble); made absolute.</summary>
    public string? TrustedRootFile { get; set; }

    /// <summary>Account key, certificates and renewal state: default pki/acme, next to the rest of the box's keys.</summary>
    public string StorageDirectory { get; set; } = string.Empty;

    /// <summary>How often the certificate is looked at (at most 720): twice a day, because a CA's renewal window (ARI) can move.</summary>
    public int CheckIntervalMinutes { get; set; } = 12 * 60;

    /// <summary>The first wait after a failed order: time to fix a port forward, soon enough that the owner sees the fix work.</summary>
    public int RetryFirstDelaySeconds { get; set; } = 5 * 60;

    /// <summary>The longest wait between failed orders: four tries a day while the old certificate keeps serving.</summary>
    public int RetryMaxDelaySeconds { get; set; } = 6 * 60 * 60;

    /// <summary>External account binding key id, as the CA printed it; with <see cref="EabHmacKey"/> or not at all.</summary>
    public string? EabKeyId { get; set; }

    /// <summary>External account binding MAC key (base64url); a secret, never echoed.</summary>
    public string? EabHmacKey { get; set; }

    /// <summary>The router's WAN address (hint for the reachability warning), as `securecam doctor --wan-ip`.</summary>
    [ConfigurationKeyName("WanIp")]
    public string? WanIpText { get; set; }

    /// <summary>The address the internet sees (hint), as `securecam doctor --public-ip`.</summary>
    [ConfigurationKeyName("PublicIp")]
    public string? PublicIpText { get; set; }

    // Derived at start by Resolve. Fields, not properties: the binder binds only properties.

    /// <summary>
    /// What the certificate names, from <c>Acme:Identifiers</c> (or the older <c>Acme:Domains</c>): DNS
    /// names and IP addresses (RFC 8738), addresses in canonical text.
    /// </summary>
    public IReadOnlyList<string> Domains = [];

    /// <summary>The IP addresses among <see cref="Domains"/>.</summary>
    public IReadOnlyList<IPAddress> Addresses = [];

    /// <summary>
    /// The plain-HTTP listener http-01 needs when <c>Server:HttpListen</c> is not set (every address,
    /// <c>Acme:HttpPort</c>); null when the server's own plain listener serves it, or for tls-alpn-01.
    /// </summary>
    public ListenAddress? ExtraHttpListen;

    public ExternalAccountBindingKey? ExternalAccountBinding;

    /// <summary><see cref="WanIpText"/>, parsed.</summary>
    public IPAddress? WanIp;

    /// <summary><see cref="PublicIpText"/>, parsed.</summary>
    public IPAddress? PublicIp;

    public TimeSpan CheckInterval => TimeSpan.FromMinutes(CheckIntervalMinutes);

    public TimeSpan RetryFirstDelay => TimeSpan.FromSeconds(RetryFirstDelaySeconds);

    public TimeSpan RetryMaxDelay => TimeSpan.FromSeconds(RetryMaxDelaySeconds);

    /// <summary>The port the CA connects to for this challenge type (RFC 8555 §8.3, RFC 8737 §3): fixed, whatever the box listens on.</summary>
    public int CaPort => Challenge == ChallengeTypes.Http01 ? 80 : 443;

    /// <summary>
    /// After binding, when on: the identifiers, the listener http-01 needs, the storage folder, the trusted roots
    /// loaded, the EAB key and the address hints parsed. Throws <see cref="SettingException"/> naming the key.
    /// </summary>
    public void Resolve(IConfigurationSection section, ServerSettings server)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(server);
        if (!Enabled)
        {
            return;
        }

        Challenge = Challenge.Trim().ToLowerInvariant();
        Email = string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();
        Profile = string.IsNullOrWhiteSpace(Profile) ? null : Profile.Trim();
        Domains = ReadIdentifiers(section);
        Addresses = Domains.Select(d => IPAddress.TryParse(d, out var a) ? a : null).OfType<IPAddress>().ToList();
        ExtraHttpListen = Challenge == ChallengeTypes.Http01 ? HttpListener(section, server) : null;
        TrustedRootFile = ReadTrustedRoots(TrustedRootFile);
        StorageDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(StorageDirectory) ? Path.Combine(server.PkiDirectory, "acme") : StorageDirectory);
        ExternalAccountBinding = ReadEab(EabKeyId, EabHmacKey);
        WanIp = ReadAddress("WanIp", WanIpText);
        PublicIp = ReadAddress("PublicIp", PublicIpText);
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

    /// <summary>
    /// <c>Acme:Identifiers</c>, or its older name <c>Acme:Domains</c>: DNS names and IP addresses (RFC 8738).
    /// Addresses come out in their canonical text (IPv6 compressed, lower case), as the CA writes them.
    /// </summary>
    private static List<string> ReadIdentifiers(IConfigurationSection section)
    {
        var identifiers = Values(section.GetSection("Identifiers"));
        var domains = Values(section.GetSection("Domains"));
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

    private static string[] Values(IConfigurationSection list) =>
        SettingRules.ReadList(list).Select(v => v.Value?.Trim() ?? string.Empty).Where(v => v.Length > 0).ToArray();

    private ListenAddress? HttpListener(IConfigurationSection section, ServerSettings server)
    {
        var raw = section["HttpPort"];
        var port = HttpPort;
        if (port is < 1 or > 65_535)
        {
            return null;
        }

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

    private static string? ReadTrustedRoots(string? raw)
    {
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

    private static ExternalAccountBindingKey? ReadEab(string? keyId, string? macKey)
    {
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
            return ExternalAccountBindingKey.FromBase64Url(keyId.Trim(), macKey.Trim());
        }
        catch (FormatException)
        {
            // The key itself is a secret: never echoed.
            throw new SettingException(Key("EabHmacKey"), "is not base64url as the CA printed it");
        }
    }

    private static IPAddress? ReadAddress(string name, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        return IPAddress.TryParse(raw.Trim(), out var address)
            ? address
            : throw new SettingException(Key(name), $"'{raw}' is not an IP address");
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    internal static partial Regex EmailPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    internal static partial Regex ProfilePattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")]
    private static partial Regex DomainPattern();
}

/// <summary>The <c>Acme</c> section's rules when it is on; the first problem is the one line.</summary>
internal sealed class AcmeSettingsValidator : IValidateOptions<AcmeSettings>
{
    public ValidateOptionsResult Validate(string? name, AcmeSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        const string Key = AcmeSettings.Section;
        var url = options.DirectoryUrl;
        return SettingRules.First(
            ChallengeTypes.IsSupported(options.Challenge) ? null
                : $"{Key}:Challenge: '{options.Challenge}' is not a challenge type; use http-01 (port 80, plain HTTP) or tls-alpn-01 (port 443, in the TLS handshake)",
            options.TermsAccepted ? null
                : $"{Key}:TermsAccepted: must be true to use ACME: read the CA's terms of service (its directory names them) and set Acme:TermsAccepted=true",
            SettingRules.Range($"{Key}:RetryFirstDelaySeconds", options.RetryFirstDelaySeconds, 1, 86_400),
            SettingRules.Range($"{Key}:RetryMaxDelaySeconds", options.RetryMaxDelaySeconds, 1, 86_400),
            options.RetryMaxDelaySeconds < options.RetryFirstDelaySeconds
                ? $"{Key}:RetryMaxDelaySeconds: {options.RetryMaxDelaySeconds} is below Acme:RetryFirstDelaySeconds ({options.RetryFirstDelaySeconds})"
                : null,
            string.IsNullOrWhiteSpace(url?.OriginalString) ? $"{Key}:DirectoryUrl: missing; the CA's directory, e.g. https://acme-v02.api.letsencrypt.org/directory"
                : !url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps ? $"{Key}:DirectoryUrl: '{url.OriginalString}' is not an https:// URL"
                : null,
            options.Email is null || AcmeSettings.EmailPattern().IsMatch(options.Email) ? null : $"{Key}:Email: '{options.Email}' is not an e-mail address",
            options.Profile is null || AcmeSettings.ProfilePattern().IsMatch(options.Profile) ? null
                : $"{Key}:Profile: '{options.Profile}' is not a profile name (letters, digits, '-', '_', '.'), e.g. shortlived or tlsserver",
            SettingRules.Range($"{Key}:HttpPort", options.HttpPort, 1, 65_535),
            SettingRules.Range($"{Key}:CheckIntervalMinutes", options.CheckIntervalMinutes, 1, 720));
    }
}
