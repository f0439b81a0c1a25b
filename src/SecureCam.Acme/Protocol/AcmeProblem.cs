using System.Text.Json.Serialization;

namespace SecureCam.Acme;

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
