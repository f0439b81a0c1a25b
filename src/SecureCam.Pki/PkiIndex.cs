namespace SecureCam.Pki;

/// <summary>
/// index.json: every certificate the CA issued, and the number of the last CRL. It names the CA it
/// belongs to (the SHA-256 of ca.crt), so an index copied from another CA is refused, not trusted.
/// </summary>
public sealed record PkiIndex
{
    /// <summary>The value of <see cref="Format"/> in every index this library writes.</summary>
    public const string FormatName = "securecam-pki-index";

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = 1;

    /// <summary>SHA-256 of the CA certificate's DER, upper-case hex.</summary>
    public required string CaSha256 { get; init; }

    /// <summary>The number of the newest CRL written (0 before the first).</summary>
    public long CrlNumber { get; init; }

    public IReadOnlyList<IndexEntry> Entries { get; init; } = [];

    /// <summary>The newest entry with this name (renewal leaves the revoked predecessors before it).</summary>
    public IndexEntry? FindLatest(string name) =>
        Entries.LastOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    /// <summary>The entry with this serial, given as hex with or without colons and leading zeros.</summary>
    public IndexEntry? FindBySerial(string serial)
    {
        var wanted = SerialNumbers.Normalize(serial);
        return wanted is null ? null : Entries.FirstOrDefault(e => SerialNumbers.Normalize(e.Serial) == wanted);
    }
}
