using System.Diagnostics.Metrics;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Metrics;

/// <summary>
/// The server's meter and its event counters: refusals, stream starts and ends, revocation enforcement. They are
/// bumped where the audit trail records the same events (one place, one reason string), so the numbers and the
/// audit lines always agree. Reasons become a small fixed set of labels: free text (dates, OpenSSL errors) would
/// give Prometheus a new series per refusal.
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "SecureCam.Server";

    private readonly Counter<long> _refusals;
    private readonly Counter<long> _streamsStarted;
    private readonly Counter<long> _streamsEnded;
    private readonly Counter<long> _streamsRefused;
    private readonly Histogram<double> _revocationEnforced;
    private readonly RevocationMonitor _revocation;
    private readonly TimeProvider _time;

    public ServerMetrics(IMeterFactory meters, RevocationMonitor revocation, TimeProvider time)
    {
        Meter = meters.Create(MeterName);
        _revocation = revocation;
        _time = time;
        _refusals = Meter.CreateCounter<long>("securecam.tls.refusals", "{refusal}", "Clients refused, by stage (handshake or request) and reason");
        _streamsStarted = Meter.CreateCounter<long>("securecam.streams.started", "{stream}", "/video streams started");
        _streamsEnded = Meter.CreateCounter<long>("securecam.streams.ended", "{stream}", "/video streams ended, by reason");
        _streamsRefused = Meter.CreateCounter<long>("securecam.streams.refused", "{stream}", "/video streams refused (too many for one certificate)");
        _revocationEnforced = Meter.CreateHistogram<double>(
            "securecam.revocation.enforcement",
            "s",
            "Time from a revocation to its enforcement: the CRL in force on the server (stage crl_loaded), an open stream cut (stage stream_cut)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600] });
        _revocation.Changed += OnRevocationChanged;
    }

    public Meter Meter { get; }

    public void ClientRejected(string stage, string reason) =>
        _refusals.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("reason", RefusalReason(reason)));

    public void StreamStarted() => _streamsStarted.Add(1);

    public void StreamRefused() => _streamsRefused.Add(1);

    public void StreamEnded(string serial, string reason)
    {
        var label = EndReason(reason);
        _streamsEnded.Add(1, new KeyValuePair<string, object?>("reason", label));
        if (label == "certificate_revoked" && _revocation.Current?.Find(serial) is { } revoked)
        {
            _revocationEnforced.Record(Seconds(_time.GetUtcNow() - revoked.RevokedAt), new KeyValuePair<string, object?>("stage", "stream_cut"));
        }
    }

    /// <summary>The label for a refusal reason of <see cref="ClientCertificateValidator"/> or the TLS layer.</summary>
    internal static string RefusalReason(string reason) => reason switch
    {
        "no client certificate" => "no_certificate",
        "revoked" => "revoked",
        "self-signed" => "self_signed",
        "not issued by the local CA" or "not issued directly by the local CA" => "not_local_ca",
        "the CA certificate itself" or "a CA certificate, not a client certificate" => "ca_certificate",
        "no extended key usage (clientAuth required)" or "EKU without clientAuth" => "wrong_usage",
        "serverAuth-only EKU (a server certificate, not a client one)" => "wrong_usage",
        "the local CA certificate is outside its validity period" => "ca_expired",
        _ when reason.StartsWith("expired", StringComparison.Ordinal) => "expired",
        _ when reason.StartsWith("not yet valid", StringComparison.Ordinal) => "not_yet_valid",
        _ when reason.StartsWith("signature does not verify", StringComparison.Ordinal) => "bad_signature",
        _ when reason.StartsWith("no role", StringComparison.Ordinal) || reason.StartsWith("unreadable role", StringComparison.Ordinal) => "no_role",
        _ when reason.StartsWith("TLS handshake failed", StringComparison.Ordinal) => "tls_error",
        _ => "other",
    };

    internal static string EndReason(string reason) => reason switch
    {
        "client left" => "client_left",
        "certificate revoked" => "certificate_revoked",
        "certificate expired" => "certificate_expired",
        _ => "other",
    };

    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);

    private void OnRevocationChanged(object? sender, EventArgs e)
    {
        if (_revocation.Current is { } list)
        {
            // The CRL is signed the moment `securecam-pki revoke` runs: its thisUpdate is the revocation time.
            _revocationEnforced.Record(Seconds(_time.GetUtcNow() - list.ThisUpdate), new KeyValuePair<string, object?>("stage", "crl_loaded"));
        }
    }
}
