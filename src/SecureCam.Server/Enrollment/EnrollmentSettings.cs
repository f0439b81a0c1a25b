using System.Net;
using Microsoft.Extensions.Options;
using SecureCam.Network.Addresses;
using SecureCam.Network.Listening;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Enrollment;

/// <summary>
/// The <c>Enrollment</c> section: where phones fetch their identity from a one-time link (see
/// docs/pki.md, "Enroll a phone"). Registered by <see cref="SecureCamSettingsServices.AddSecureCamSettings"/>;
/// a bad value stops the start with one line naming its key.
/// </summary>
internal sealed class EnrollmentSettings
{
    public const string Section = "Enrollment";

    /// <summary>Every IPv4 address, port 8444: next to the viewer's 8443, and reachable by a phone on the LAN.</summary>
    public const string DefaultListen = "https://0.0.0.0:8444";

    private static readonly string[] KnownKeys = ["AllowedSources", "Enabled", "Listen", "MaxFailuresPerMinute"];

    /// <summary>False: the server never opens the enrollment port (links made by `enroll` then do not work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The enrollment listener's URL: <see cref="DefaultListen"/> unless set.</summary>
    [ConfigurationKeyName("Listen")]
    public string ListenUrl { get; set; } = DefaultListen;

    /// <summary>Wrong or expired tokens one address may try per minute before it gets 429s: a phone mistypes a few, a scanner many.</summary>
    public int MaxFailuresPerMinute { get; set; } = 10;

    // Derived at start by Resolve. Fields, not properties: the binder binds only properties.

    /// <summary><see cref="ListenUrl"/>, through the one listen-URL parser.</summary>
    public ListenAddress Listen = ListenAddress.Parse(DefaultListen, https: true);

    /// <summary>
    /// Source networks allowed to use a link (<c>Enrollment:AllowedSources</c>, a list or one "a;b" string); null
    /// means the LAN: loopback, the RFC 1918 ranges, link-local and IPv6 unique-local. A phone enrolls standing next
    /// to the box, so a request from the internet (a forwarded port, a tunnel) is refused unless the owner lists its network here.
    /// </summary>
    public IReadOnlyList<IPNetwork>? AllowedSources;

    /// <summary>After binding: the listener parsed and kept off the camera's ports, the allowed networks parsed.</summary>
    public void Resolve(IConfigurationSection section, ServerSettings server)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(server);
        SettingRules.RejectUnknownKeys(section, KnownKeys);
        Listen = ServerSettings.ParseListen($"{Section}:Listen", string.IsNullOrEmpty(ListenUrl) ? DefaultListen : ListenUrl, https: true);
        if (server.Listen.Append(server.HttpListen).Any(a => a is not null && a.Port == Listen.Port && a.Port != 0))
        {
            throw new SettingException($"{Section}:Listen", $"port {Listen.Port} is already the camera's (Server:Listen or Server:HttpListen); enrollment needs a port of its own");
        }

        AllowedSources = ReadSources(section.GetSection("AllowedSources"));
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
        var entries = SettingRules.ReadList(section);
        if (entries.Count == 0)
        {
            return null;
        }

        var networks = new List<IPNetwork>();
        foreach (var (path, value) in entries)
        {
            if (!IPNetwork.TryParse(value ?? string.Empty, out var network))
            {
                throw new SettingException(path, $"'{value}' is not a network like 192.168.1.0/24 or fd00::/8");
            }

            networks.Add(network);
        }

        return networks;
    }
}

/// <summary>The failure budget's range.</summary>
internal sealed class EnrollmentSettingsValidator : IValidateOptions<EnrollmentSettings>
{
    public ValidateOptionsResult Validate(string? name, EnrollmentSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SettingRules.First(SettingRules.Range($"{EnrollmentSettings.Section}:MaxFailuresPerMinute", options.MaxFailuresPerMinute, 1, 10_000));
    }
}
