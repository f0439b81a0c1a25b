using System.Collections.Frozen;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Pki;

/// <summary>
/// The one place revocation is decided, for every end that judges a certificate of the local CA: the server (the
/// handshake, each request, open streams) and telemetry (the collector judging cameras, the camera judging the
/// collector). It follows one crl.pem signed by one CA and holds the rule:
/// <list type="bullet">
/// <item>a CRL whose signature does not verify against the CA is refused and the list in force stays;</item>
/// <item>a genuine CRL with a lower number than one seen before is not put in force, though what it revokes is added;</item>
/// <item>every serial a genuine CRL ever revoked stays revoked: a newer CRL that leaves one out (an index restored from
/// a backup, a hand-made list) adds its own revocations and lifts none, and the gap is reported once per serial;</item>
/// <item>a deleted crl.pem keeps everything revoked.</item>
/// </list>
/// With a <see cref="RevocationMemory"/> (the server's revocations-seen.json) what was seen survives a restart;
/// without one (telemetry) it lasts as long as the process. The answer is never cached per certificate.
/// </summary>
/// <remarks>Thread-safe: questions read an immutable snapshot; one reload runs at a time.</remarks>
public sealed class RevocationLedger
{
    private readonly RevocationMemory? _memory;
    private readonly string _caSha256;
    private readonly Lock _reloadLock = new();
    private readonly HashSet<string> _gapReported = new(StringComparer.Ordinal);
    private volatile Snapshot _snapshot;
    private (long Ticks, long Length)? _stamp;
    private bool _read;

    /// <summary>A ledger for <paramref name="crlPath"/> signed by <paramref name="issuer"/>; nothing is read until <see cref="Reload"/>.</summary>
    public RevocationLedger(string crlPath, X509Certificate2 issuer, RevocationMemory? memory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(crlPath);
        ArgumentNullException.ThrowIfNull(issuer);
        CrlPath = Path.GetFullPath(crlPath);
        Issuer = issuer;
        _memory = memory;
        _caSha256 = Thumbprints.Sha256(issuer);
        var remembered = memory?.SerialsOf(_caSha256) ?? FrozenSet<string>.Empty;
        _snapshot = new Snapshot(
            null,
            remembered.ToFrozenDictionary(s => s, _ => (RevokedCertificate?)null, StringComparer.Ordinal),
            memory?.HighestNumberOf(_caSha256) ?? BigInteger.MinusOne);
    }

    public string CrlPath { get; }

    /// <summary>The CA whose signature every CRL must carry.</summary>
    public X509Certificate2 Issuer { get; }

    /// <summary>The CRL in force, or null while none has been read (nothing revoked but what the memory holds).</summary>
    public RevocationList? Current => _snapshot.List;

    /// <summary>How many serials are revoked: the list in force and every one seen before.</summary>
    public int RevokedCount => _snapshot.Revoked.Count;

    /// <summary>The highest CRL number seen from this CA (-1 when none).</summary>
    public BigInteger HighestNumber => _snapshot.Highest;

    /// <summary>True when this CA's CRLs were seen before (by this process or, with a memory, an earlier one).</summary>
    public bool HasHistory => _snapshot.Revoked.Count > 0 || _snapshot.Highest >= 0;

    /// <summary>True when <paramref name="serial"/> (hex, any case, colons allowed) is revoked.</summary>
    public bool IsRevoked(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        return SerialNumbers.Normalize(serial) is { } key && _snapshot.Revoked.ContainsKey(key);
    }

    public bool IsRevoked(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return IsRevoked(certificate.SerialNumber);
    }

    /// <summary>
    /// True when <paramref name="serial"/> is revoked by an earlier CRL but not listed by the one in force;
    /// <paramref name="entry"/> is that earlier entry, or null when only the memory file remembers the serial.
    /// </summary>
    public bool IsKept(string serial, out RevokedCertificate? entry)
    {
        ArgumentNullException.ThrowIfNull(serial);
        entry = null;
        var snapshot = _snapshot;
        return SerialNumbers.Normalize(serial) is { } key
            && snapshot.List?.Find(key) is null
            && snapshot.Revoked.TryGetValue(key, out entry);
    }

    /// <summary>
    /// Reads crl.pem again if it changed (last write time and length) since the last call; the first call always reads
    /// it. A CRL that does not verify or cannot be read throws (<see cref="PkiException"/>, <see cref="IOException"/>,
    /// <see cref="UnauthorizedAccessException"/>) and changes nothing; the same file is not read again, so the caller
    /// reports it once.
    /// </summary>
    public CrlReload Reload()
    {
        lock (_reloadLock)
        {
            var stamp = Stamp();
            if (_read && stamp == _stamp)
            {
                return CrlReload.Unchanged;
            }

            _read = true;
            _stamp = stamp;
            if (stamp is null)
            {
                return CrlReload.Missing;
            }

            return Offer(RevocationList.Load(File.ReadAllBytes(CrlPath), Issuer));
        }
    }

    private CrlReload Offer(RevocationList list)
    {
        var before = _snapshot;
        var revoked = new Dictionary<string, RevokedCertificate?>(before.Revoked, StringComparer.Ordinal);
        foreach (var entry in list.Revoked)
        {
            revoked[SerialNumbers.Normalize(entry.Serial)!] = entry;
        }

        var inForce = list.Number >= before.Highest;
        List<string> gap = [];
        if (inForce)
        {
            gap = [.. before.Revoked.Keys.Where(s => list.Find(s) is null && _gapReported.Add(s)).Order(StringComparer.Ordinal)];
        }

        string? memoryError = null;
        if (_memory is not null)
        {
            try
            {
                _memory.Remember(_caSha256, list);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or PkiException)
            {
                memoryError = e.Message;
            }
        }

        var highest = BigInteger.Max(before.Highest, list.Number);
        _snapshot = new Snapshot(inForce ? list : before.List, revoked.ToFrozenDictionary(StringComparer.Ordinal), highest);
        return new CrlReload(inForce ? CrlReloadKind.Loaded : CrlReloadKind.Older, list, before.Highest, gap, memoryError);
    }

    private (long Ticks, long Length)? Stamp()
    {
        var info = new FileInfo(CrlPath);
        return info.Exists ? (info.LastWriteTimeUtc.Ticks, info.Length) : null;
    }

    private sealed record Snapshot(RevocationList? List, FrozenDictionary<string, RevokedCertificate?> Revoked, BigInteger Highest);
}

/// <summary>What <see cref="RevocationLedger.Reload"/> found.</summary>
public enum CrlReloadKind
{
    /// <summary>crl.pem did not change since the last look.</summary>
    Unchanged,

    /// <summary>crl.pem is not there: everything revoked stays revoked.</summary>
    Missing,

    /// <summary>A genuine CRL, now in force.</summary>
    Loaded,

    /// <summary>A genuine CRL with a lower number than one seen: its revocations were added, the newer list stays in force.</summary>
    Older,
}

/// <summary>The outcome of one <see cref="RevocationLedger.Reload"/>, for the caller to log in its own words.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="List">The CRL read (Loaded, Older), else null.</param>
/// <param name="PreviousHighest">The highest CRL number seen before this one (-1 when none).</param>
/// <param name="Gap">Serials seen revoked before that this list leaves out, each reported once: they stay revoked.</param>
/// <param name="MemoryError">Why the memory file could not be written, or null: what was seen is enforced but not remembered across a restart.</param>
public sealed record CrlReload(CrlReloadKind Kind, RevocationList? List, BigInteger PreviousHighest, IReadOnlyList<string> Gap, string? MemoryError)
{
    internal static readonly CrlReload Unchanged = new(CrlReloadKind.Unchanged, null, BigInteger.MinusOne, [], null);

    internal static readonly CrlReload Missing = new(CrlReloadKind.Missing, null, BigInteger.MinusOne, [], null);
}

/// <summary>
/// Every serial a genuine CRL of each CA has revoked, and the highest CRL number seen, in one small JSON file written
/// atomically with mode 0600 (the server's revocations-seen.json). A CRL rebuilt from a restored index can then never
/// lift a revocation, not even across a restart. A file that does not parse is a one-line <see cref="PkiException"/>:
/// starting with an empty memory would forgive everyone.
/// </summary>
/// <remarks>Not thread-safe on its own: each <see cref="RevocationLedger"/> calls it under its reload lock.</remarks>
public sealed class RevocationMemory
{
    private const string FormatName = "securecam-seen-revocations";

    private readonly Dictionary<string, CaRecord> _byCa;

    private RevocationMemory(string path, Dictionary<string, CaRecord> byCa)
    {
        Path = path;
        _byCa = byCa;
    }

    public string Path { get; }

    /// <summary>Reads the file (a missing file is an empty memory).</summary>
    public static RevocationMemory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            return new RevocationMemory(path, new Dictionary<string, CaRecord>(StringComparer.OrdinalIgnoreCase));
        }

        SeenRevocationsFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), SeenRevocationsJson.Default.SeenRevocationsFile);
        }
        catch (JsonException e)
        {
            throw new PkiException($"{path} is corrupt ({ErrorText.FirstLine(e.Message)}); it is the server's memory of revocations: restore it, or move it away to trust crl.pem alone", e);
        }

        if (file is null || file.Format != FormatName || file.Authorities is null
            || file.Authorities.Any(a => a.Value is null || a.Value.Serials is null || a.Value.Serials.Any(s => s is null || SerialNumbers.Normalize(s) is null)
                || !BigInteger.TryParse(a.Value.CrlNumber, CultureInfo.InvariantCulture, out _)))
        {
            throw new PkiException($"{path} is not a valid {FormatName} file; restore it, or move it away to trust crl.pem alone");
        }

        var byCa = file.Authorities.ToDictionary(
            a => a.Key,
            a => new CaRecord(BigInteger.Parse(a.Value.CrlNumber, CultureInfo.InvariantCulture), a.Value.Serials.Select(s => SerialNumbers.Normalize(s)!).ToFrozenSet()),
            StringComparer.OrdinalIgnoreCase);
        return new RevocationMemory(path, byCa);
    }

    /// <summary>The serials seen revoked by the CA with SHA-256 <paramref name="caSha256"/>.</summary>
    public FrozenSet<string> SerialsOf(string caSha256) => _byCa.TryGetValue(caSha256, out var record) ? record.Serials : FrozenSet<string>.Empty;

    /// <summary>The highest CRL number seen from that CA (-1 when none).</summary>
    public BigInteger HighestNumberOf(string caSha256) => _byCa.TryGetValue(caSha256, out var record) ? record.CrlNumber : BigInteger.MinusOne;

    /// <summary>Adds what <paramref name="list"/> revokes and its number; writes the file when anything grew.</summary>
    internal void Remember(string caSha256, RevocationList list)
    {
        var before = SerialsOf(caSha256);
        var listed = list.Revoked.Select(r => SerialNumbers.Normalize(r.Serial)!).ToHashSet(StringComparer.Ordinal);
        var number = BigInteger.Max(HighestNumberOf(caSha256), list.Number);
        if (listed.IsSubsetOf(before) && number == HighestNumberOf(caSha256))
        {
            return;
        }

        listed.UnionWith(before);
        _byCa[caSha256] = new CaRecord(number, listed.ToFrozenSet(StringComparer.Ordinal));
        var file = new SeenRevocationsFile
        {
            Format = FormatName,
            Authorities = _byCa.ToDictionary(
                p => p.Key,
                p => new SeenCa { CrlNumber = p.Value.CrlNumber.ToString(CultureInfo.InvariantCulture), Serials = [.. p.Value.Serials.Order(StringComparer.Ordinal)] }),
        };
        AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(file, SeenRevocationsJson.Default.SeenRevocationsFile), AtomicFile.Secret);
    }

    private sealed record CaRecord(BigInteger CrlNumber, FrozenSet<string> Serials);
}

internal sealed class SeenRevocationsFile
{
    public string Format { get; set; } = "";

    /// <summary>Keyed by the CA certificate's SHA-256 (hex).</summary>
    public Dictionary<string, SeenCa> Authorities { get; set; } = [];
}

internal sealed class SeenCa
{
    /// <summary>A decimal string: a CRL number may exceed any JSON-safe integer.</summary>
    public string CrlNumber { get; set; } = "0";

    public List<string> Serials { get; set; } = [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SeenRevocationsFile))]
internal sealed partial class SeenRevocationsJson : JsonSerializerContext
{
}
