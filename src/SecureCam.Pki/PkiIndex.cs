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

    /// <summary>
    /// Revocations of serials with no entry here: revoked by serial alone, or carried over from a published
    /// CRL after an older index was restored. They stay on every CRL, like the entries' revocations.
    /// </summary>
    public IReadOnlyList<RevokedCertificate> RevokedSerials { get; init; } = [];

    /// <summary>Every revocation this index knows: the revoked entries and the bare serials.</summary>
    public IEnumerable<RevokedCertificate> AllRevocations() =>
        Entries.Where(e => e.IsRevoked)
            .Select(e => new RevokedCertificate(e.Serial, e.RevokedAt!.Value, e.RevocationReason))
            .Concat(RevokedSerials);

    /// <summary>The revocation of <paramref name="serial"/> (an entry's or a bare serial's), or null.</summary>
    public RevokedCertificate? FindRevocation(string serial)
    {
        var wanted = SerialNumbers.Normalize(serial);
        return wanted is null ? null : AllRevocations().FirstOrDefault(r => SerialNumbers.Normalize(r.Serial) == wanted);
    }

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
