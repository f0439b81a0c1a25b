using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>The ACME directory (RFC 8555 §7.1.1): the URLs of every resource, plus meta.</summary>
public sealed record AcmeDirectory
{
    [JsonPropertyName("newNonce")]
    public required Uri NewNonce { get; init; }

    [JsonPropertyName("newAccount")]
    public required Uri NewAccount { get; init; }

    [JsonPropertyName("newOrder")]
    public required Uri NewOrder { get; init; }

    [JsonPropertyName("revokeCert")]
    public Uri? RevokeCert { get; init; }

    [JsonPropertyName("keyChange")]
    public Uri? KeyChange { get; init; }

    /// <summary>ACME Renewal Information (RFC 9773); null when the server does not offer it.</summary>
    [JsonPropertyName("renewalInfo")]
    public Uri? RenewalInfo { get; init; }

    [JsonPropertyName("meta")]
    public AcmeDirectoryMeta? Meta { get; init; }
}

/// <summary>The directory's "meta" object (RFC 8555 §7.1.1).</summary>
public sealed record AcmeDirectoryMeta
{
    [JsonPropertyName("termsOfService")]
    public Uri? TermsOfService { get; init; }

    [JsonPropertyName("website")]
    public Uri? Website { get; init; }

    [JsonPropertyName("externalAccountRequired")]
    public bool ExternalAccountRequired { get; init; }

    /// <summary>
    /// The certificate profiles the CA offers (draft-ietf-acme-profiles), name → description; null when
    /// it offers none. Let's Encrypt: "classic", "tlsserver", "shortlived" (six days, IP addresses allowed).
    /// </summary>
    [JsonPropertyName("profiles")]
    public IReadOnlyDictionary<string, string>? Profiles { get; init; }
}

/// <summary>
/// An account: its URL (the "kid" of every later request), the key that controls it, and what the
/// server said about it (RFC 8555 §7.1.2).
/// </summary>
public sealed record AcmeAccount
{
    public required Uri Location { get; init; }

    public required AccountKey Key { get; init; }

    public required AcmeAccountResource Resource { get; init; }

    /// <summary>True when the server made a new account (201), false when it found an existing one (200).</summary>
    public bool Created { get; init; }
}

/// <summary>The account object as the server returns it.</summary>
public sealed record AcmeAccountResource
{
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("contact")]
    public IReadOnlyList<string>? Contact { get; init; }

    [JsonPropertyName("termsOfServiceAgreed")]
    public bool? TermsOfServiceAgreed { get; init; }

    [JsonPropertyName("orders")]
    public Uri? Orders { get; init; }
}

/// <summary>An order (RFC 8555 §7.1.3). <see cref="Location"/> is its URL, from the Location header.</summary>
public sealed record AcmeOrder
{
    [JsonIgnore]
    public Uri Location { get; init; } = null!;

    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("expires")]
    public DateTimeOffset? Expires { get; init; }

    [JsonPropertyName("identifiers")]
    public IReadOnlyList<AcmeIdentifier> Identifiers { get; init; } = [];

    [JsonPropertyName("authorizations")]
    public IReadOnlyList<Uri> Authorizations { get; init; } = [];

    [JsonPropertyName("finalize")]
    public Uri Finalize { get; init; } = null!;

    [JsonPropertyName("certificate")]
    public Uri? Certificate { get; init; }

    /// <summary>The profile the CA issues this order under (draft-ietf-acme-profiles), when it has profiles.</summary>
    [JsonPropertyName("profile")]
    public string? Profile { get; init; }

    [JsonPropertyName("replaces")]
    public string? Replaces { get; init; }

    [JsonPropertyName("error")]
    public AcmeProblem? Error { get; init; }
}

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

/// <summary>An authorization (RFC 8555 §7.1.4). <see cref="Location"/> is its URL.</summary>
public sealed record AcmeAuthorization
{
    [JsonIgnore]
    public Uri Location { get; init; } = null!;

    [JsonPropertyName("identifier")]
    public AcmeIdentifier Identifier { get; init; } = null!;

    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("expires")]
    public DateTimeOffset? Expires { get; init; }

    [JsonPropertyName("challenges")]
    public IReadOnlyList<AcmeChallenge> Challenges { get; init; } = [];

    [JsonPropertyName("wildcard")]
    public bool Wildcard { get; init; }
}

/// <summary>A challenge inside an authorization (RFC 8555 §7.1.5, §8).</summary>
public sealed record AcmeChallenge
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("url")]
    public Uri Url { get; init; } = null!;

    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("validated")]
    public DateTimeOffset? Validated { get; init; }

    [JsonPropertyName("error")]
    public AcmeProblem? Error { get; init; }
}

/// <summary>Status values of accounts, orders, authorizations and challenges (RFC 8555 §7.1.6).</summary>
public static class AcmeStatus
{
    public const string Pending = "pending";
    public const string Ready = "ready";
    public const string Processing = "processing";
    public const string Valid = "valid";
    public const string Invalid = "invalid";
    public const string Deactivated = "deactivated";
    public const string Expired = "expired";
    public const string Revoked = "revoked";
}

/// <summary>An RFC 7807 problem document as ACME uses it (RFC 8555 §6.7).</summary>
public sealed record AcmeProblem
{
    /// <summary>The prefix of every ACME error type.</summary>
    public const string AcmeErrorPrefix = "urn:ietf:params:acme:error:";

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    [JsonPropertyName("status")]
    public int? Status { get; init; }

    [JsonPropertyName("identifier")]
    public AcmeIdentifier? Identifier { get; init; }

    [JsonPropertyName("subproblems")]
    public IReadOnlyList<AcmeProblem>? Subproblems { get; init; }

    /// <summary>The ACME error name without the URN prefix ("badNonce", "rateLimited"…), or the full type.</summary>
    [JsonIgnore]
    public string ShortType => Type is not null && Type.StartsWith(AcmeErrorPrefix, StringComparison.Ordinal)
        ? Type[AcmeErrorPrefix.Length..]
        : Type ?? "unknown";

    public bool Is(string shortType) => string.Equals(ShortType, shortType, StringComparison.Ordinal);

    public override string ToString()
    {
        var text = $"{ShortType}: {Detail}";
        if (Subproblems is { Count: > 0 })
        {
            text += " (" + string.Join("; ", Subproblems.Select(p => $"{p.Identifier?.Value}: {p.ShortType}: {p.Detail}")) + ")";
        }

        return text;
    }
}

/// <summary>
/// The one JSON setting for every ACME body: camelCase names, nulls left out (RFC 8555 §7). Source-generated
/// for the native build; payloads are dictionaries of <c>object</c>, so every type a value can have at run
/// time is listed here too.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AcmeDirectory))]
[JsonSerializable(typeof(AcmeAccountResource))]
[JsonSerializable(typeof(AcmeOrder))]
[JsonSerializable(typeof(AcmeAuthorization))]
[JsonSerializable(typeof(AcmeChallenge))]
[JsonSerializable(typeof(AcmeProblem))]
[JsonSerializable(typeof(RenewalInfo))]
[JsonSerializable(typeof(JwsMessage))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(AcmeIdentifier[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
internal sealed partial class AcmeJson : JsonSerializerContext
{
}
