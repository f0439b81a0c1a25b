using System.Text.Json.Serialization;

namespace SecureCam.Acme;

/// <summary>ARI's suggestedWindow: renew at a random moment between <see cref="Start"/> and <see cref="End"/>.</summary>
public sealed record RenewalWindow(
    [property: JsonPropertyName("start")] DateTimeOffset Start,
    [property: JsonPropertyName("end")] DateTimeOffset End);
