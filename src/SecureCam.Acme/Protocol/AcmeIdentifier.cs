using System.Net;
using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>An identifier in an order: a DNS name ("dns") or an IP address ("ip", RFC 8738).</summary>
public sealed record AcmeIdentifier(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string Value)
{
    /// <summary>"ip" for an address, "dns" for anything else; DNS names are lower-cased as CAs compare them.</summary>
    public static AcmeIdentifier For(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return IPAddress.TryParse(name, out var address)
            ? new AcmeIdentifier("ip", address.ToString())
            : new AcmeIdentifier("dns", name.Trim().TrimEnd('.').ToLowerInvariant());
    }

    public override string ToString() => Value;
}
