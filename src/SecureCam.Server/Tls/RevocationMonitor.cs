using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SecureCam.Pki;

namespace SecureCam.Server.Tls;

/// <summary>
/// The live CRL (pki/crl.pem), re-read within one <see cref="PkiFileWatcher.Interval"/> of
/// `securecam-pki revoke` writing it. Its signature is checked against the CA on every load; a CRL
/// that does not verify is refused and the previous one stays in force, so a corrupted or forged file
/// can never un-revoke a certificate. The answer itself is never cached per certificate.
/// </summary>
internal sealed partial class RevocationMonitor : IRevocationStatus, IReloadable
{
    private readonly ServerPkiPaths _paths;
    private readonly LocalCaCertificate _ca;
    private readonly TimeProvider _time;
    private readonly ILogger<RevocationMonitor> _logger;
    private volatile Loaded? _current;
    private FileStamp _stamp;
    private X509Certificate2 _caUsed;

    public RevocationMonitor(ServerPkiPaths paths, LocalCaCertificate ca, TimeProvider time, ILogger<RevocationMonitor> logger)
    {
        _paths = paths;
        _ca = ca;
        _time = time;
        _logger = logger;
        _caUsed = ca.Certificate;
        _stamp = FileStamp.Of(paths.Crl);
        _current = Load();
        if (_current is null)
        {
            LogNoCrl(_logger, paths.Crl);
        }
    }

    public event EventHandler? Changed;

    /// <summary>The CRL in force, or null when the PKI has none yet (nothing revoked).</summary>
    public RevocationList? Current => _current?.List;

    /// <summary>When the CRL in force was issued (its thisUpdate).</summary>
    public DateTimeOffset? ThisUpdate => _current?.List.ThisUpdate;

    public bool IsRevoked(X509Certificate2 certificate)
    {
        var list = _current?.List;
        return list is not null && list.IsRevoked(certificate.SerialNumber);
    }

    public void ReloadIfChanged()
    {
        var stamp = FileStamp.Of(_paths.Crl);
        var ca = _ca.Certificate;
        if (stamp == _stamp && ReferenceEquals(ca, _caUsed))
        {
            return;
        }

        // Throws for a CRL that does not verify: the watcher logs it (once: the stamp is already
        // recorded) and the previous list stays in force until a new crl.pem is written.
        var sameCa = ReferenceEquals(ca, _caUsed);
        _stamp = stamp;
        _caUsed = ca;
        var loaded = Load();
        if (loaded is null && _current is not null)
        {
            // crl.pem deleted: keep what was revoked rather than silently forgiving everyone.
            LogCrlGone(_logger, _paths.Crl);
            return;
        }

        if (loaded is not null && _current is not null && sameCa && loaded.List.Number < _current.List.Number)
        {
            // An older CRL, genuinely signed (a restored backup, a copied PKI folder), would lift every
            // revocation made since: the CRL number only goes up, so keep the newer list in force.
            LogCrlOlder(_logger, _paths.Crl, loaded.List.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), _current.List.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return;
        }

        _current = loaded;
        if (loaded is not null)
        {
            LogLoaded(_logger, loaded.List.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), loaded.List.ThisUpdate);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private Loaded? Load()
    {
        if (!File.Exists(_paths.Crl))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(_paths.Crl);
        return new Loaded(RevocationList.Load(bytes, _ca.Certificate), _time.GetUtcNow());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "no CRL at {Path} yet: nothing is revoked (`securecam-pki revoke` writes one)")]
    private static partial void LogNoCrl(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Path} disappeared: keeping the last CRL in force")]
    private static partial void LogCrlGone(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Path} holds CRL number {Older}, older than number {Current} in force: keeping the newer one")]
    private static partial void LogCrlOlder(ILogger logger, string path, string older, string current);

    [LoggerMessage(Level = LogLevel.Information, Message = "CRL loaded: number {Number}, issued {ThisUpdate:u}")]
    private static partial void LogLoaded(ILogger logger, string number, DateTimeOffset thisUpdate);

    private sealed record Loaded(RevocationList List, DateTimeOffset LoadedAt);
}
