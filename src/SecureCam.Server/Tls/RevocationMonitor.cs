using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;

namespace SecureCam.Server.Tls;

/// <summary>
/// The live CRL (pki/crl.pem), re-read within one <see cref="PkiFileWatcher.Interval"/> of
/// `securecam-pki revoke` writing it. Its signature is checked against the CA on every load; a CRL
/// that does not verify is refused and the previous one stays in force, so a corrupted or forged file
/// can never un-revoke a certificate. Every serial a genuine CRL ever revoked is remembered in
/// <see cref="SeenRevocations"/> (on disk, so across restarts too): a later CRL that leaves one out (an
/// index restored from a backup, an older crl.pem) adds its own revocations but lifts none. The answer
/// itself is never cached per certificate.
/// </summary>
internal sealed partial class RevocationMonitor : IRevocationStatus, IReloadable
{
    private readonly ServerPkiPaths _paths;
    private readonly LocalCaCertificate _ca;
    private readonly TimeProvider _time;
    private readonly ILogger<RevocationMonitor> _logger;
    private readonly SeenRevocations _seen;
    private volatile State _state;
    private FileStamp _stamp;

    public RevocationMonitor(ServerPkiPaths paths, LocalCaCertificate ca, TimeProvider time, ILogger<RevocationMonitor> logger)
    {
        _paths = paths;
        _ca = ca;
        _time = time;
        _logger = logger;
        _seen = SeenRevocations.Open(paths.SeenRevocations);
        _stamp = FileStamp.Of(paths.Crl);
        var caSha256 = Thumbprints.Sha256(ca.Certificate);
        var list = Load(ca.Certificate);
        if (list is null)
        {
            RequireNoIssuedCertificates(caSha256);
            LogNoCrl(_logger, paths.Crl);
            _state = new State(ca.Certificate, caSha256, null, _seen.SerialsOf(caSha256));
        }
        else
        {
            _state = Accept(new State(ca.Certificate, caSha256, null, _seen.SerialsOf(caSha256)), list);
        }
    }

    public event EventHandler? Changed;

    /// <summary>The CRL in force, or null when the PKI has none yet (nothing revoked).</summary>
    public RevocationList? Current => _state.List;

    /// <summary>When the CRL in force was issued (its thisUpdate).</summary>
    public DateTimeOffset? ThisUpdate => _state.List?.ThisUpdate;

    /// <summary>How many serials are revoked now: the CRL's and those remembered from earlier ones.</summary>
    public int RevokedCount => _state.Revoked.Count;

    public bool IsRevoked(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return SerialNumbers.Normalize(certificate.SerialNumber) is { } serial && _state.Revoked.Contains(serial);
    }

    public void ReloadIfChanged()
    {
        var stamp = FileStamp.Of(_paths.Crl);
        var ca = _ca.Certificate;
        var state = _state;
        if (stamp == _stamp && ReferenceEquals(ca, state.Ca))
        {
            return;
        }

        // Throws for a CRL that does not verify: the watcher logs it (once: the stamp is already
        // recorded) and the previous list stays in force until a new crl.pem is written.
        _stamp = stamp;
        var caChanged = !ReferenceEquals(ca, state.Ca);
        if (caChanged)
        {
            var caSha256 = Thumbprints.Sha256(ca);
            state = new State(ca, caSha256, null, _seen.SerialsOf(caSha256));
            _state = state;
        }

        var loaded = Load(ca);
        if (loaded is null)
        {
            // crl.pem deleted: keep what was revoked rather than silently forgiving everyone.
            LogCrlGone(_logger, _paths.Crl);
            if (caChanged)
            {
                Changed?.Invoke(this, EventArgs.Empty);
            }

            return;
        }

        _state = Accept(state, loaded);
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>The state with <paramref name="list"/> in force (unless older) and its revocations added to those seen.</summary>
    private State Accept(State state, RevocationList list)
    {
        var highest = _seen.HighestNumberOf(state.CaSha256);
        IReadOnlyList<string> lifted;
        try
        {
            lifted = _seen.Remember(state.CaSha256, list);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PkiException)
        {
            LogStateNotWritten(_logger, _seen.Path, e.Message);
            lifted = state.Revoked.Where(s => !list.IsRevoked(s)).ToList();
        }

        var revoked = state.Revoked.Union(list.Revoked.Select(r => SerialNumbers.Normalize(r.Serial)!)).Union(_seen.SerialsOf(state.CaSha256)).ToFrozenSet();
        if (lifted.Count > 0)
        {
            // A genuine CRL that leaves out a serial seen revoked before: rebuilt from a restored index, or
            // an older crl.pem put back. Its new revocations count; the missing ones stay revoked.
            LogCrlLifts(_logger, _paths.Crl, lifted.Count, string.Join(", ", lifted.Take(5)));
        }

        if (list.Number < highest)
        {
            LogCrlOlder(_logger, _paths.Crl, list.Number.ToString(CultureInfo.InvariantCulture), highest.ToString(CultureInfo.InvariantCulture));
            return state with { Revoked = revoked };
        }

        LogLoaded(_logger, list.Number.ToString(CultureInfo.InvariantCulture), list.ThisUpdate, revoked.Count);
        return state with { List = list, Revoked = revoked };
    }

    /// <summary>
    /// A CA that has issued certificates always has a crl.pem (securecam-pki writes one at init): without it,
    /// the server cannot know what was revoked, so it refuses to start rather than treat everyone as valid.
    /// </summary>
    private void RequireNoIssuedCertificates(string caSha256)
    {
        if (_seen.SerialsOf(caSha256).Count > 0 || _seen.HighestNumberOf(caSha256) >= 0)
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

    private RevocationList? Load(X509Certificate2 ca)
    {
        if (!File.Exists(_paths.Crl))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(_paths.Crl);
        return RevocationList.Load(bytes, ca);
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

    private sealed record State(X509Certificate2 Ca, string CaSha256, RevocationList? List, FrozenSet<string> Revoked);
}
