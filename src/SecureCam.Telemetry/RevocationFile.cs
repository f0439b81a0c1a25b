using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;

namespace SecureCam.Telemetry;

/// <summary>
/// The live CRL of the local CA (crl.pem, as `securecam-pki revoke` writes it) for one end of telemetry: the collector
/// judging device certificates, the camera judging the collector's. Re-read within <see cref="CheckInterval"/> of a
/// change, checked lazily on each question, so a revocation reaches new handshakes and open sessions within seconds.
/// Which CRL counts is SecureCam.Pki's <see cref="RevocationLedger"/>, the rule the server enforces too: a CRL that
/// does not verify, a missing file, or an older CRL number never lifts a revocation already seen, and a newer CRL that
/// lacks one adds its own while the missing ones stay revoked; each problem is logged once. Without a memory file:
/// what was seen lasts as long as the process.
/// </summary>
/// <remarks>Thread-safe: sessions on many threads ask at once; one of them re-reads the file.</remarks>
public sealed class RevocationFile
{
    /// <summary>How often the file's timestamp is looked at: one stat a second costs nothing and bounds the delay.</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);

    private readonly RevocationLedger _ledger;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly Lock _reloadLock = new();
    private long _nextCheck;

    private RevocationFile(RevocationLedger ledger, TimeSpan checkInterval, Action<string>? log, TimeProvider time)
    {
        _ledger = ledger;
        CheckInterval = checkInterval;
        _log = log ?? (_ => { });
        _time = time;
    }

    public string Path => _ledger.CrlPath;

    public TimeSpan CheckInterval { get; }

    /// <summary>The list in force; null while the file has never existed (nothing revoked yet).</summary>
    public RevocationList? Current
    {
        get
        {
            Refresh();
            return _ledger.Current;
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> now, signed by the first certificate of <paramref name="ca"/>. A file that exists
    /// but does not verify is a <see cref="TelemetryConfigurationException"/>: refuse to start on it. A file that does
    /// not exist yet means nothing is revoked until it appears. <paramref name="time"/> drives the re-checks.
    /// </summary>
    public static RevocationFile Open(string path, X509Certificate2Collection ca, Action<string>? log = null, TimeSpan? checkInterval = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var file = new RevocationFile(new RevocationLedger(path, ca[0]), checkInterval ?? DefaultCheckInterval, log, time ?? TimeProvider.System);
        try
        {
            file._ledger.Reload();
        }
        catch (Exception e) when (e is PkiException or IOException or UnauthorizedAccessException)
        {
            throw new TelemetryConfigurationException($"{path}: {e.Message}", e);
        }

        file._nextCheck = file.NextCheckAfter(file._time.GetTimestamp());
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

        if (_ledger.IsKept(certificate.SerialNumber, out var kept))
        {
            return kept is null ? $"serial {certificate.SerialNumber} revoked, kept from an earlier CRL" : Describe(kept, "kept from an earlier CRL");
        }

        return null;
    }

    private void Refresh()
    {
        var now = _time.GetTimestamp();
        if (now < Interlocked.Read(ref _nextCheck) || !_reloadLock.TryEnter())
        {
            // Not due, or another thread is reading the file right now: the list in force answers.
            return;
        }

        try
        {
            Interlocked.Exchange(ref _nextCheck, NextCheckAfter(now));
            var outcome = _ledger.Reload();
            if (outcome.Gap.Count > 0)
            {
                _log($"{Path} (CRL number {outcome.List!.Number}) lacks {outcome.Gap.Count} revocation(s) seen before ({string.Join(", ", outcome.Gap.Take(5))}): they stay revoked");
            }

            switch (outcome.Kind)
            {
                case CrlReloadKind.Missing when _ledger.Current is { } current:
                    _log($"{Path} disappeared: keeping CRL number {current.Number} in force");
                    break;
                case CrlReloadKind.Older:
                    _log($"{Path} holds CRL number {outcome.List!.Number}, older than number {outcome.PreviousHighest} seen: its revocations count, the newer list stays in force");
                    break;
                case CrlReloadKind.Loaded:
                    _log($"CRL {Path} loaded: number {outcome.List!.Number}, {outcome.List.Revoked.Count} revoked");
                    break;
            }
        }
        catch (Exception e) when (e is PkiException or IOException or UnauthorizedAccessException)
        {
            // Logged once: the ledger does not read the same bad file again.
            _log($"{Path} refused ({e.Message}): keeping the previous CRL in force");
        }
        finally
        {
            _reloadLock.Exit();
        }
    }

    private long NextCheckAfter(long now) => now + (long)(CheckInterval.TotalSeconds * _time.TimestampFrequency);

    private static string Describe(RevokedCertificate entry, string source) =>
        string.Create(CultureInfo.InvariantCulture, $"serial {entry.Serial} revoked {entry.RevokedAt:u}{(entry.Reason is { } reason ? $" ({reason})" : "")}, {source}");
}
