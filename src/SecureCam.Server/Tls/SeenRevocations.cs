using System.Collections.Frozen;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using SecureCam.Pki;

namespace SecureCam.Server.Tls;

/// <summary>
/// The server's memory of every serial a genuine CRL of each CA has revoked, and the highest CRL number
/// seen, kept in one small JSON file written atomically (temp file, fsync, rename, fsync of the folder).
/// A CRL rebuilt from a restored index can then never lift a revocation, not even across a restart. A
/// file that does not parse stops the server: starting with an empty memory would forgive everyone.
/// </summary>
internal sealed class SeenRevocations
{
    private const string FormatName = "securecam-seen-revocations";

    private readonly string _path;
    private readonly Dictionary<string, CaRecord> _byCa;

    private SeenRevocations(string path, Dictionary<string, CaRecord> byCa)
    {
        _path = path;
        _byCa = byCa;
    }

    public string Path => _path;

    /// <summary>Reads the file (a missing file is an empty memory); a corrupt one is a one-line <see cref="PkiException"/>.</summary>
    public static SeenRevocations Open(string path)
    {
        if (!File.Exists(path))
        {
            return new SeenRevocations(path, new Dictionary<string, CaRecord>(StringComparer.OrdinalIgnoreCase));
        }

        SeenRevocationsFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), SeenRevocationsJson.Default.SeenRevocationsFile);
        }
        catch (JsonException e)
        {
            throw new PkiException($"{path} is corrupt ({e.Message.Split('\n')[0]}); it is the server's memory of revocations: restore it, or move it away to trust crl.pem alone", e);
        }

        if (file is null || file.Format != FormatName || file.Authorities is null
            || file.Authorities.Any(a => a.Value is null || a.Value.Serials is null || a.Value.Serials.Any(s => s is null || SerialNumbers.Normalize(s) is null)
                || !BigInteger.TryParse(a.Value.CrlNumber, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            throw new PkiException($"{path} is not a valid {FormatName} file; restore it, or move it away to trust crl.pem alone");
        }

        var byCa = file.Authorities.ToDictionary(
            a => a.Key,
            a => new CaRecord(BigInteger.Parse(a.Value.CrlNumber, System.Globalization.CultureInfo.InvariantCulture), a.Value.Serials.Select(s => SerialNumbers.Normalize(s)!).ToFrozenSet()),
            StringComparer.OrdinalIgnoreCase);
        return new SeenRevocations(path, byCa);
    }

    /// <summary>The serials seen revoked by the CA with SHA-256 <paramref name="caSha256"/>.</summary>
    public FrozenSet<string> SerialsOf(string caSha256) => _byCa.TryGetValue(caSha256, out var record) ? record.Serials : FrozenSet<string>.Empty;

    /// <summary>The highest CRL number seen from that CA (-1 when none).</summary>
    public BigInteger HighestNumberOf(string caSha256) => _byCa.TryGetValue(caSha256, out var record) ? record.CrlNumber : BigInteger.MinusOne;

    /// <summary>
    /// Adds what <paramref name="list"/> revokes and its number; writes the file when anything grew.
    /// Returns the serials seen before that the list no longer carries (it would have lifted them).
    /// </summary>
    public IReadOnlyList<string> Remember(string caSha256, RevocationList list)
    {
        var before = SerialsOf(caSha256);
        var listed = list.Revoked.Select(r => SerialNumbers.Normalize(r.Serial)!).ToHashSet();
        var lifted = before.Where(s => !listed.Contains(s)).Order(StringComparer.Ordinal).ToList();
        var number = BigInteger.Max(HighestNumberOf(caSha256), list.Number);
        if (listed.IsSubsetOf(before) && number == HighestNumberOf(caSha256))
        {
            return lifted;
        }

        listed.UnionWith(before);
        _byCa[caSha256] = new CaRecord(number, listed.ToFrozenSet());
        Save();
        return lifted;
    }

    private void Save()
    {
        var file = new SeenRevocationsFile
        {
            Format = FormatName,
            Authorities = _byCa.ToDictionary(
                p => p.Key,
                p => new SeenCa { CrlNumber = p.Value.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), Serials = [.. p.Value.Serials.Order(StringComparer.Ordinal)] }),
        };
        AtomicFile.CreatePrivateDirectory(System.IO.Path.GetDirectoryName(_path)!);
        AtomicFile.Write(_path, JsonSerializer.SerializeToUtf8Bytes(file, SeenRevocationsJson.Default.SeenRevocationsFile), AtomicFile.Secret);
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
