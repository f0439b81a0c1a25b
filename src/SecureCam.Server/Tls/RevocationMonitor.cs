using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;

namespace SecureCam.Server.Tls;

/// <summary>
/// The server's live CRL (pki/crl.pem), re-read within one <see cref="PkiFileWatcher.Interval"/> of
/// `securecam-pki revoke` writing it. What counts is decided by the shared <see cref="RevocationLedger"/> (a CRL
/// that does not verify, an older one, or one that leaves a serial out never lifts a revocation); this class
/// follows the CA certificate, keeps the ledger's memory in <see cref="ServerPkiPaths.SeenRevocations"/> so it
/// holds across restarts, tells open streams when the list changed, and logs in the server's words.
/// </summary>
internal sealed partial class RevocationMonitor : IRevocationStatus, IReloadable
{
    private readonly ServerPkiPaths _paths;
    private readonly LocalCaCertificate _ca;
    private readonly ILogger<RevocationMonitor> _logger;
    private readonly RevocationMemory _memory;
    private volatile RevocationLedger _ledger;

    public RevocationMonitor(ServerPkiPaths paths, LocalCaCertificate ca, ILogger<RevocationMonitor> logger)
    {
        _paths = paths;
        _ca = ca;
        _logger = logger;
        _memory = RevocationMemory.Open(paths.SeenRevocations);
        _ledger = new RevocationLedger(paths.Crl, ca.Certificate, _memory);
        if (!File.Exists(paths.Crl))
        {
            RequireNoIssuedCertificates(_ledger);
            LogNoCrl(_logger, paths.Crl);
        }

        Report(_ledger.Reload());
    }

    public event EventHandler? Changed;

    /// <summary>The CRL in force, or null when the PKI has none yet (nothing revoked).</summary>
    public RevocationList? Current => _ledger.Current;

    /// <summary>When the CRL in force was issued (its thisUpdate).</summary>
    public DateTimeOffset? ThisUpdate => _ledger.Current?.ThisUpdate;

    /// <summary>How many serials are revoked now: the CRL's and those remembered from earlier ones.</summary>
    public int RevokedCount => _ledger.RevokedCount;

    public bool IsRevoked(X509Certificate2 certificate) => _ledger.IsRevoked(certificate);

    /// <summary>Throws for a CRL that does not verify: the watcher logs it once (the same file is not read again) and the list in force stays.</summary>
    public void ReloadIfChanged()
    {
        var ledger = _ledger;
        var caChanged = !ReferenceEquals(_ca.Certificate, ledger.Issuer);
        if (caChanged)
        {
            // A new CA: its own remembered revocations, and its crl.pem read afresh.
            ledger = new RevocationLedger(_paths.Crl, _ca.Certificate, _memory);
            _ledger = ledger;
        }

        var outcome = ledger.Reload();
        Report(outcome);
        if (caChanged || outcome.Kind is CrlReloadKind.Loaded or CrlReloadKind.Older)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }
    }

    private void Report(CrlReload outcome)
    {
        if (outcome.MemoryError is { } error)
        {
            LogStateNotWritten(_logger, _memory.Path, error);
        }

        if (outcome.Gap.Count > 0)
        {
            LogCrlLifts(_logger, _paths.Crl, outcome.Gap.Count, string.Join(", ", outcome.Gap.Take(5)));
        }

        switch (outcome.Kind)
        {
            case CrlReloadKind.Missing when _ledger.HasHistory:
                // crl.pem deleted: keep what was revoked rather than silently forgiving everyone.
                LogCrlGone(_logger, _paths.Crl);
                break;
            case CrlReloadKind.Older:
                LogCrlOlder(_logger, _paths.Crl, outcome.List!.Number.ToString(CultureInfo.InvariantCulture), outcome.PreviousHighest.ToString(CultureInfo.InvariantCulture));
                break;
            case CrlReloadKind.Loaded:
                LogLoaded(_logger, outcome.List!.Number.ToString(CultureInfo.InvariantCulture), outcome.List.ThisUpdate, _ledger.RevokedCount);
                break;
        }
    }

    /// <summary>
    /// A CA that has issued certificates always has a crl.pem (securecam-pki writes one at init): without it,
    /// the server cannot know what was revoked, so it refuses to start rather than treat everyone as valid.
    /// </summary>
    private void RequireNoIssuedCertificates(RevocationLedger ledger)
    {
        if (ledger.HasHistory)
        {
            throw new PkiException($"{_paths.Crl} is missing, but this server has seen CRLs from this CA; restore crl.pem or run `securecam-pki crl`");
        }

        PkiIndex index;
        try
        {
            index = PkiStore.Open(_paths.Directory).ReadIndex();
        }
        catch (PkiException e)
        {
            throw new PkiException($"{_paths.Crl} is missing and whether the CA has issued certificates is unknown ({e.Message}); run `securecam-pki crl`", e);
        }

        if (index.Entries.Count > 0 || index.RevokedSerials.Count > 0)
        {
            throw new PkiException($"{_paths.Crl} is missing, but the CA has issued {index.Entries.Count} certificate(s); run `securecam-pki crl` to write it");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "no CRL at {Path} yet and nothing issued: nothing is revoked (`securecam-pki revoke` writes one)")]
    private static partial void LogNoCrl(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Path} disappeared: keeping the last CRL in force")]
    private static partial void LogCrlGone(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Path} holds CRL number {Older}, older than number {Current} seen: its new revocations count, the newer list stays in force")]
    private static partial void LogCrlOlder(ILogger logger, string path, string older, string current);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Path} leaves out {Count} serial(s) revoked before ({Serials}): they stay revoked (was index.json restored from a backup?)")]
    private static partial void LogCrlLifts(ILogger logger, string path, int count, string serials);

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot write {Path} ({Error}): revocations seen now are enforced but will not be remembered across a restart")]
    private static partial void LogStateNotWritten(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "CRL loaded: number {Number}, issued {ThisUpdate:u}; {Count} serial(s) revoked")]
    private static partial void LogLoaded(ILogger logger, string number, DateTimeOffset thisUpdate, int count);
}
