using System.Text.Json.Serialization;

namespace SecureCam.Pki;

/// <summary>
/// One phone's one-time enrollment link, as kept in DIR/enroll/HASH.json: which identity it hands out,
/// until when, and whether it was taken. The token itself is never stored, only its SHA-256
/// (<see cref="TokenSha256"/>, also the file's name), so a copy of the store cannot be used to enroll.
/// </summary>
public sealed record EnrollmentTicket
{
    /// <summary>The value of <see cref="Format"/> in every ticket this library writes.</summary>
    public const string FormatName = "securecam-enrollment-ticket";

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = 1;

    /// <summary>The client identity (issued/NAME) the link hands out.</summary>
    public required string Name { get; init; }

    /// <summary>The serial of the certificate issued for this ticket: a renewed or re-issued name is another identity.</summary>
    public required string Serial { get; init; }

    /// <summary>SHA-256 of the token's UTF-8 bytes, lower-case hex.</summary>
    public required string TokenSha256 { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When the identity was downloaded; from then on every URL of the link answers "gone".</summary>
    public DateTimeOffset? TakenAt { get; init; }

    /// <summary>The address that took it (for the owner, in `list` and the audit log).</summary>
    public string? TakenBy { get; init; }

    [JsonIgnore]
    public bool IsTaken => TakenAt is not null;
}

/// <summary>What a ticket allows now.</summary>
public enum EnrollmentTicketState
{
    /// <summary>Valid: the page and the downloads are served.</summary>
    Open,

    /// <summary>The identity was downloaded once; the link is used up.</summary>
    Taken,

    /// <summary>Past its expiry without being used.</summary>
    Expired,

    /// <summary>Its certificate was revoked, renewed or removed since the link was made.</summary>
    Withdrawn,
}

/// <summary>Source-generated JSON for tickets (trim and Native AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnrollmentTicket))]
internal sealed partial class EnrollmentJsonContext : JsonSerializerContext;
