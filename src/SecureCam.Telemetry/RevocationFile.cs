using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;

namespace SecureCam.Telemetry;

/// <summary>
/// The live CRL of the local CA (crl.pem, as `securecam-pki revoke` writes it) for one end of telemetry: the collector
/// judging device certificates, the camera judging the collector's. Re-read within <see cref="CheckInterval"/> of a
/// change, checked lazily on each question, so a revocation reaches new handshakes and open sessions within seconds.
/// The list is read and its signature checked by SecureCam.Pki's <see cref="RevocationList"/>; the rules of the
/// server's own monitor apply: a CRL that does not verify, a missing file, or an older CRL number never lifts a
/// revocation already seen, the previous list stays in force and the problem is logged once; a newer CRL that lacks a
/// revocation seen before (a restored index, a hand-made list) adds its own, and the missing ones stay revoked.
/// </summary>
/// <remarks>Thread-safe: sessions on many threads ask at once; one of them re-reads the file.</remarks>
public sealed class RevocationFile
{
    /// <summary>How often the file's timestamp is looked at: one stat a second costs nothing and bounds the delay.</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);

    private readonly X509Certificate2 _issuer;
    private readonly Action<string> _log;
    private readonly Lock _reloadLock = new();
    private volatile RevocationList? _current;

    /// <summary>Revocations seen in earlier lists that the list in force lacks, by normalised serial: they stay revoked.</summary>
    private volatile IReadOnlyDictionary<string, RevokedCertificate> _kept = new Dictionary<string, RevokedCertificate>();
    private (DateTime Written, long Length)? _stamp;
    private long _nextCheck;

    private RevocationFile(string path, X509Certificate2 issuer, TimeSpan checkInterval, Action<string>? log)
    {
        Path = path;
        _issuer = issuer;
        CheckInterval = checkInterval;
        _log = log ?? (_ => { });
    }

    public string Path { get; }

    public TimeSpan CheckInterval { get; }

    /// <summary>The list in force; null while the file has never existed (nothing revoked yet).</summary>
    public RevocationList? Current
    {
        get
        {
            Refresh();
            return _current;
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> now, signed by the first certificate of <paramref name="ca"/>. A file that exists
    /// but does not verify is a <see cref="TelemetryConfigurationException"/>: refuse to start on it. A file that does
    /// not exist yet means nothing is revoked until it appears.
    /// </summary>
    public static RevocationFile Open(string path, X509Certificate2Collection ca, Action<string>? log = null, TimeSpan? checkInterval = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var file = new RevocationFile(System.IO.Path.GetFullPath(path), ca[0], checkInterval ?? DefaultCheckInterval, log);
        try
        {
            file._stamp = file.ReadStamp();
            file._current = file._stamp is null ? null : file.Read();
        }
        catch (Exception e) when (e is PkiException or IOException or UnauthorizedAccessException)
        {
            throw new TelemetryConfigurationException($"{path}: {e.Message}", e);
        }

        file._nextCheck = Stopwatch.GetTimestamp() + (long)(file.CheckInterval.TotalSeconds * Stopwatch.Frequency);
        return file;
    }

    /// <summary>The reason <paramref name="certificate"/> is revoked ("revoked on … (CRL number N)"), or null.</summary>
    public string? RevocationOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var list = Current;
        if (list?.Find(certificate.SerialNumber) is { } entry)
        {
            return Describe(entry, $"CRL number {list.Number}");
        }

        return SerialNumbers.Normalize(certificate.SerialNumber) is { } serial && _kept.TryGetValue(serial, out var kept)
            ? Describe(kept, "kept from an earlier CRL")
            : null;
    }

    private void Refresh()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < Interlocked.Read(ref _nextCheck) || !_reloadLock.TryEnter())
        {
            // Not due, or another thread is reading the file right now: the list in force answers.
            return;
        }

        try
        {
            Interlocked.Exchange(ref _nextCheck, now + (long)(CheckInterval.TotalSeconds * Stopwatch.Frequency));
            var stamp = ReadStamp();
            if (stamp == _stamp)
            {
                return;
            }

            _stamp = stamp;
            if (stamp is null)
            {
                if (_current is not null)
                {
                    _log($"{Path} disappeared: keeping CRL number {_current.Number} in force");
                }

                return;
            }

            var loaded = Read();
            if (_current is not null && loaded.Number < _current.Number)
            {
                _log($"{Path} holds CRL number {loaded.Number}, older than number {_current.Number} in force: keeping the newer one");
                return;
            }

            var kept = new Dictionary<string, RevokedCertificate>(_kept);
            foreach (var entry in _current?.Revoked ?? [])
            {
                kept.TryAdd(SerialNumbers.Normalize(entry.Serial)!, entry);
            }

            foreach (var serial in kept.Keys.Where(loaded.IsRevoked).ToList())
            {
                kept.Remove(serial);
            }

            if (kept.Count > _kept.Count)
            {
                _log($"{Path} (CRL number {loaded.Number}) lacks {kept.Count} revocation(s) seen before ({string.Join(", ", kept.Keys.Take(5))}): they stay revoked");
            }

            _kept = kept;
            _current = loaded;
            _log($"CRL {Path} loaded: number {loaded.Number}, {loaded.Revoked.Count} revoked");
        }
        catch (Exception e) when (e is PkiException or IOException or UnauthorizedAccessException)
        {
            // Logged once: the stamp is recorded, so the same bad file is not read again.
            _log($"{Path} refused ({e.Message}): keeping the previous CRL in force");
        }
        finally
        {
            _reloadLock.Exit();
        }
    }

    private static string Describe(RevokedCertificate entry, string source) =>
        string.Create(CultureInfo.InvariantCulture, $"serial {entry.Serial} revoked {entry.RevokedAt:u}{(entry.Reason is { } reason ? $" ({reason})" : "")}, {source}");

    private (DateTime Written, long Length)? ReadStamp()
    {
        var info = new FileInfo(Path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : null;
    }

    private RevocationList Read() => RevocationList.Load(File.ReadAllBytes(Path), _issuer);
}
