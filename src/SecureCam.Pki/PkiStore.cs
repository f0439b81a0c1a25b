using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace SecureCam.Pki;

/// <summary>
/// The on-disk PKI home: where every file lives, reading and writing the index, and the exclusive
/// lock that every change holds. Layout (see docs/pki.md): ca.crt, ca.key, crl.pem, index.json and
/// issued/NAME/{cert.pem,key.pem,chain.pem,NAME.p12}.
/// </summary>
public sealed class PkiStore
{
    /// <summary>Environment variable naming the PKI home when --pki is not given.</summary>
    public const string DirectoryVariable = "SECURECAM_PKI";

    /// <summary>
    /// How long a change waits for another process to finish its own. Issuing takes well under a second,
    /// so a minute covers dozens of queued processes on a slow board.
    /// </summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(60);

    private PkiStore(string directory) => Directory = directory;

    /// <summary>The PKI home: $SECURECAM_PKI, else ./pki.</summary>
    public static string DefaultDirectory
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(DirectoryVariable);
            return Path.GetFullPath(string.IsNullOrWhiteSpace(fromEnvironment) ? "pki" : fromEnvironment);
        }
    }

    /// <summary>The absolute path of the PKI home.</summary>
    public string Directory { get; }

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    public string CaKeyPath => Path.Combine(Directory, "ca.key");

    public string CrlPath => Path.Combine(Directory, "crl.pem");

    public string IndexPath => Path.Combine(Directory, "index.json");

    public string IssuedDirectory => Path.Combine(Directory, "issued");

    public string LockPath => Path.Combine(Directory, ".lock");

    /// <summary>One-time enrollment tickets (see <see cref="EnrollmentTickets"/>).</summary>
    public string EnrollmentDirectory => Path.Combine(Directory, "enroll");

    /// <summary>True when this home holds a CA (ca.crt exists).</summary>
    public bool HasCa => File.Exists(CaCertificatePath);

    /// <summary>Opens the store at <paramref name="directory"/> (null: the default). Nothing is created yet.</summary>
    public static PkiStore Open(string? directory = null) =>
        new(Path.GetFullPath(string.IsNullOrWhiteSpace(directory) ? DefaultDirectory : directory));

    public string EntryDirectory(string name)
    {
        CertificateNames.Validate(name);
        return Path.Combine(IssuedDirectory, name);
    }

    public string CertificatePath(string name) => Path.Combine(EntryDirectory(name), "cert.pem");

    public string KeyPath(string name) => Path.Combine(EntryDirectory(name), "key.pem");

    public string ChainPath(string name) => Path.Combine(EntryDirectory(name), "chain.pem");

    public string Pkcs12Path(string name) => Path.Combine(EntryDirectory(name), name + ".p12");

    /// <summary>Takes the store's exclusive lock; dispose it to release.</summary>
    public StoreLock Lock(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        EnsureDirectory();
        return StoreLock.Acquire(LockPath, timeout ?? DefaultLockTimeout, cancellationToken);
    }

    /// <summary>Takes the store's exclusive lock without blocking a thread while waiting.</summary>
    public Task<StoreLock> LockAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        EnsureDirectory();
        return StoreLock.AcquireAsync(LockPath, timeout ?? DefaultLockTimeout, cancellationToken);
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 ReadCaCertificate()
    {
        RequireCa();
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath);
        }
        catch (CryptographicException e)
        {
            throw new PkiException($"{CaCertificatePath} is not a readable certificate: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads and checks index.json: it must parse, be ours, and belong to this CA. A missing index with a
    /// CA present is an error too: it would hide which serials are taken and what was revoked.
    /// </summary>
    public PkiIndex ReadIndex()
    {
        using var ca = ReadCaCertificate();
        var caSha256 = Thumbprints.Sha256(ca);
        if (!File.Exists(IndexPath))
        {
            throw new PkiException($"{IndexPath} is missing; restore it from your backup");
        }

        PkiIndex? index;
        try
        {
            var bytes = File.ReadAllBytes(IndexPath);

            // Whose file it is is decided first, so another tool's JSON is named as such, not as corrupt.
            using (var document = JsonDocument.Parse(bytes))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("format", out var format)
                    || format.ValueKind != JsonValueKind.String
                    || format.GetString() != PkiIndex.FormatName)
                {
                    throw new PkiException($"{IndexPath} is not a securecam-pki index; not touching it");
                }
            }

            index = JsonSerializer.Deserialize(bytes, IndexJson.Default.PkiIndex);
        }
        catch (JsonException e)
        {
            throw new PkiException($"{IndexPath} is corrupt ({ErrorText.FirstLine(e.Message)}); restore it from your backup", e);
        }

        if (index?.Entries is null)
        {
            throw new PkiException($"{IndexPath} is corrupt (no entries); restore it from your backup");
        }

        if (index.Version != 1)
        {
            throw new PkiException($"{IndexPath} has version {index.Version}, this securecam-pki reads version 1");
        }

        if (!string.Equals(index.CaSha256, caSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new PkiException($"{IndexPath} belongs to another CA (not {CaCertificatePath}); not touching it");
        }

        // Hand edits and half-restored files reach here: anything the tool would trip over later is named now.
        foreach (var entry in index.Entries)
        {
            if (entry is null || !CertificateNames.IsValid(entry.Name) || entry.Serial is null || SerialNumbers.Normalize(entry.Serial) is null
                || entry.DnsNames is null || entry.IpAddresses is null || entry.Subject is null || entry.Sha256 is null
                || entry.IpAddresses.Any(a => a is null || !System.Net.IPAddress.TryParse(a, out _)) || entry.DnsNames.Any(d => d is null))
            {
                throw new PkiException($"{IndexPath} is corrupt (entry '{entry?.Name}' has an invalid name, serial or address); restore it from your backup");
            }
        }

        if (index.RevokedSerials is null || index.RevokedSerials.Any(r => r is null || r.Serial is null || SerialNumbers.Normalize(r.Serial) is null))
        {
            throw new PkiException($"{IndexPath} is corrupt (revokedSerials holds an invalid serial); restore it from your backup");
        }

        return index;
    }

    /// <summary>
    /// <paramref name="index"/> with every revocation the published crl.pem lists that it lacks (an entry
    /// marked revoked, or a bare serial when it has no entry) and a CRL number no lower than crl.pem's;
    /// the same instance when nothing was missing. Each repair is reported through <paramref name="warn"/>.
    /// A crl.pem that does not verify against <paramref name="ca"/> is an error: it may hold revocations
    /// the index lacks, so it is never silently replaced.
    /// </summary>
    public PkiIndex MergePublishedRevocations(PkiIndex index, X509Certificate2 ca, Action<string>? warn)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ca);
        if (!File.Exists(CrlPath))
        {
            return index;
        }

        RevocationList published;
        try
        {
            published = RevocationList.Load(File.ReadAllBytes(CrlPath), ca);
        }
        catch (PkiException e)
        {
            throw new PkiException($"{CrlPath} cannot be read ({e.Message}); it may list revocations index.json lacks, so it is not replaced: move it away to build the CRL from index.json alone", e);
        }

        var known = index.AllRevocations().Select(r => SerialNumbers.Normalize(r.Serial)).ToHashSet();
        var entries = index.Entries.ToList();
        var bare = index.RevokedSerials.ToList();
        var restored = 0;
        foreach (var revoked in published.Revoked)
        {
            var serial = SerialNumbers.Normalize(revoked.Serial);
            if (!known.Add(serial))
            {
                continue;
            }

            restored++;
            var at = entries.FindIndex(e => SerialNumbers.Normalize(e.Serial) == serial);
            if (at >= 0)
            {
                entries[at] = entries[at] with { RevokedAt = revoked.RevokedAt, RevocationReason = revoked.Reason };
            }
            else
            {
                bare.Add(revoked);
            }
        }

        if (published.Number > long.MaxValue)
        {
            throw new PkiException($"{CrlPath} has CRL number {published.Number}, beyond what securecam-pki counts to");
        }

        var number = Math.Max(index.CrlNumber, (long)published.Number);
        if (restored == 0 && number == index.CrlNumber)
        {
            return index;
        }

        if (restored > 0)
        {
            warn?.Invoke($"{IndexPath} lacked {restored} revocation(s) that {CrlPath} (number {published.Number}) lists; an older index.json was restored? Kept them: a revocation is never lifted");
        }

        if (number > index.CrlNumber)
        {
            warn?.Invoke($"{IndexPath} counted CRLs to {index.CrlNumber} but {CrlPath} is number {published.Number}; continuing from {published.Number}");
        }

        return index with { Entries = entries, RevokedSerials = bare, CrlNumber = number };
    }

    /// <summary>Writes index.json atomically with mode 0600. Callers hold the lock.</summary>
    internal void WriteIndex(PkiIndex index) =>
        AtomicFile.Write(IndexPath, JsonSerializer.SerializeToUtf8Bytes(index, IndexJson.Default.PkiIndex), AtomicFile.Secret);

    /// <summary>Throws the "no CA yet" error when this home has no CA.</summary>
    public void RequireCa()
    {
        if (!HasCa)
        {
            throw new PkiException($"no CA in {Directory} yet; run `securecam-pki init` first (or pass --pki DIR)");
        }
    }

    /// <summary>Creates the home if missing, mode 0700: it holds the CA key, so only its owner needs to list it.</summary>
    internal void EnsureDirectory() => AtomicFile.CreatePrivateDirectory(Directory);
}
