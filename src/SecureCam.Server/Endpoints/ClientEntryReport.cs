namespace SecureCam.Server.Endpoints;

/// <summary>One row of /api/clients.</summary>
internal sealed record ClientEntryReport(
    string Name,
    string Kind,
    string? Role,
    string Serial,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Status,
    DateTimeOffset? RevokedAt);
