using System.Globalization;
using System.Net;
using SecureCam.Network.Addresses;
using SecureCam.Network.Listening;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Enrollment;

/// <summary>
/// The <c>Enrollment</c> section: where phones fetch their identity from a one-time link (see
/// docs/pki.md, "Enroll a phone"). Read and validated once at start; a bad value stops the start with
/// one line naming its key.
/// </summary>
internal sealed class EnrollmentSettings
{
    public const string Section = "Enrollment";

    /// <summary>Every IPv4 address, port 8444: next to the viewer's 8443, and reachable by a phone on the LAN.</summary>
    public const string DefaultListen = "https://0.0.0.0:8444";

    private static readonly HashSet<string> KnownKeys = new(["Enabled", "Listen", "AllowedSources", "MaxFailuresPerMinute"], StringComparer.OrdinalIgnoreCase);

    /// <summary>False: the server never opens the enrollment port (links made by `enroll` then do not work).</summary>
    public bool Enabled { get; init; } = true;

    public required ListenAddress Listen { get; init; }

    /// <summary>
    /// Source networks allowed to use a link; null means the LAN: loopback, the RFC 1918 ranges,
    /// link-local and IPv6 unique-local. A phone enrolls standing next to the box, so a request from the
    /// internet (a forwarded port, a tunnel) is refused unless the owner lists its network here.
    /// </summary>
    public IReadOnlyList<IPNetwork>? AllowedSources { get; init; }

    /// <summary>Wrong or expired tokens one address may try per minute before it gets 429s: a phone mistypes a few, a scanner many.</summary>
    public int MaxFailuresPerMinute { get; init; } = 10;

    /// <summary>The property initializers above, read back so each default is written once.</summary>
    private static readonly EnrollmentSettings Defaults = new() { Listen = ListenAddress.Parse(DefaultListen, https: true) };

    public static EnrollmentSettings Read(IConfiguration configuration, ServerSettings server)
    {
        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren())
        {
            if (!KnownKeys.Contains(child.Key))
            {
                throw new SettingException(child.Path, $"unknown setting (known: {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))})");
            }
        }

        var enabled = section["Enabled"];
        if (enabled is not null && !bool.TryParse(enabled, out _))
        {
            throw new SettingException($"{Section}:Enabled", $"'{enabled}' is not true or false");
        }

        var failures = section["MaxFailuresPerMinute"];
        var maxFailures = Defaults.MaxFailuresPerMinute;
        if (failures is not null && (!int.TryParse(failures, NumberStyles.Integer, CultureInfo.InvariantCulture, out maxFailures) || maxFailures is < 1 or > 10_000))
        {
            throw new SettingException($"{Section}:MaxFailuresPerMinute", $"'{failures}' is not a whole number from 1 to 10000");
        }

        var listen = ServerSettings.ParseListen($"{Section}:Listen", section["Listen"] is { Length: > 0 } url ? url : DefaultListen, https: true);
        if (server.Listen.Append(server.HttpListen).Any(a => a is not null && a.Port == listen.Port && a.Port != 0))
        {
            throw new SettingException($"{Section}:Listen", $"port {listen.Port} is already the camera's (Server:Listen or Server:HttpListen); enrollment needs a port of its own");
        }

        return new EnrollmentSettings
        {
            Enabled = enabled is null || bool.Parse(enabled),
            Listen = listen,
            AllowedSources = ReadSources(section.GetSection("AllowedSources")),
            MaxFailuresPerMinute = maxFailures,
        };
    }

    /// <summary>True when a request from <paramref name="address"/> may use a link.</summary>
    public bool Allows(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return AllowedSources is { } networks
            ? networks.Any(n => n.Contains(address))
            : AddressClassifier.Classify(address) is AddressScope.Loopback or AddressScope.Private or AddressScope.LinkLocal or AddressScope.UniqueLocal;
    }

    private static List<IPNetwork>? ReadSources(IConfigurationSection section)
    {
        var entries = section.Value is { } single
            ? single.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (section.Path, Value: v)).ToList()
            : section.GetChildren().Select(c => (c.Path, Value: c.Value ?? string.Empty)).ToList();
        if (entries.Count == 0)
        {
            return null;
        }

        var networks = new List<IPNetwork>();
        foreach (var (path, value) in entries)
        {
            if (!IPNetwork.TryParse(value, out var network))
            {
                throw new SettingException(path, $"'{value}' is not a network like 192.168.1.0/24 or fd00::/8");
            }

            networks.Add(network);
        }

        return networks;
    }
}
