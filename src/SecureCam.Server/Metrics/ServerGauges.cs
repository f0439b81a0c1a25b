using System.Diagnostics.Metrics;
using SecureCam.Camera;
using SecureCam.Pki;
using SecureCam.Server.Acme;
using SecureCam.Server.Streaming;
using SecureCam.Server.Telemetry;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Metrics;

/// <summary>
/// Observable instruments read from what the server already counts (the frame hub, the served-frame meter,
/// the open streams, the live certificates and CRL, ACME and telemetry state): nothing is counted twice, and a
/// value costs nothing until a scrape or an OTLP export asks for it.
/// </summary>
internal sealed class ServerGauges
{
    private static readonly string[] AcmeStates = ["valid", "issuing", "renewing", "failing", "stopped"];

    private readonly ServerPkiPaths _paths;
    private readonly TimeProvider _time;
    private readonly Lock _indexGate = new();
    private FileStamp _indexStamp;
    private IReadOnlyList<IndexEntry> _issued = [];

    public ServerGauges(
        ServerMetrics metrics,
        FrameHub hub,
        ServedMeters served,
        ActiveStreams streams,
        ServerCertificateProvider certificates,
        LocalCaCertificate ca,
        RevocationMonitor revocation,
        ServerPkiPaths paths,
        TimeProvider time,
        AcmeStatusSource? acme = null,
        TelemetryService? telemetry = null)
    {
        _paths = paths;
        _time = time;
        var meter = metrics.Meter;
        meter.CreateObservableCounter("securecam.frames.captured", () => hub.GetStatus().FramesCaptured, "{frame}", "Frames captured from the camera");
        meter.CreateObservableCounter("securecam.frames.served", () => served.Frames.Total, "{frame}", "Frames sent to viewers (one per viewer per frame)");
        meter.CreateObservableCounter("securecam.bytes.served", () => served.Bytes.Total, "By", "MJPEG bytes sent to viewers");
        meter.CreateObservableUpDownCounter("securecam.viewers", () => streams.Count, "{viewer}", "Open /video streams");
        meter.CreateObservableGauge("securecam.camera.capturing", () => hub.GetStatus().IsCapturing ? 1 : 0, null, "1 while the camera source runs");
        meter.CreateObservableGauge("securecam.certificate.expiry", CertificateDaysLeft, "d", "Days until a certificate expires, by kind (server, ca, acme, client, device) and name");
        meter.CreateObservableGauge(
            "securecam.crl.age",
            () => revocation.Current is { } list ? [new Measurement<double>((time.GetUtcNow() - list.ThisUpdate).TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s",
            "Seconds since the CRL in force was issued");
        if (acme is not null)
        {
            meter.CreateObservableGauge("securecam.acme.state", () => AcmeState(acme), null, "1 for the ACME certificate's current state (valid, issuing, renewing, failing, stopped)");
            meter.CreateObservableGauge("securecam.acme.failures", () => acme.Build().Failures, "{failure}", "Consecutive failed ACME attempts");
        }

        if (telemetry is not null && telemetry.Options.Enabled)
        {
            meter.CreateObservableCounter("securecam.telemetry.sent", () => telemetry.State.Sent, "{record}", "Telemetry records sent to the collector");
            meter.CreateObservableCounter("securecam.telemetry.acknowledged", () => telemetry.State.Acknowledged, "{record}", "Telemetry records the collector acknowledged");
            meter.CreateObservableCounter("securecam.telemetry.dropped", () => telemetry.State.Dropped, "{record}", "Telemetry records lost (queue full, or too large for a datagram)");
            meter.CreateObservableUpDownCounter("securecam.telemetry.queued", () => telemetry.State.Queued, "{record}", "Telemetry records waiting to be sent");
            meter.CreateObservableGauge("securecam.telemetry.connected", () => telemetry.State.Connected ? 1 : 0, null, "1 while a DTLS session with the collector is up");
        }

        IEnumerable<Measurement<double>> CertificateDaysLeft()
        {
            var now = _time.GetUtcNow();
            yield return Days(certificates.Certificate.NotAfter, now, "server", paths.ServerCertificateName);
            yield return Days(ca.Certificate.NotAfter, now, "ca", ca.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
            if (acme?.Build() is { NotAfter: { } acmeNotAfter } report)
            {
                yield return new Measurement<double>(Math.Round((acmeNotAfter - now).TotalDays, 2), Kind("acme"), Name(string.Join(',', report.Domains)));
            }

            foreach (var entry in IssuedLeaves())
            {
                yield return new Measurement<double>(Math.Round((entry.NotAfter - now).TotalDays, 2), Kind(entry.Kind.ToString().ToLowerInvariant()), Name(entry.Name));
            }
        }
    }

    private static Measurement<double> Days(DateTime notAfter, DateTimeOffset now, string kind, string name) =>
        new(Math.Round((new DateTimeOffset(notAfter.ToUniversalTime(), TimeSpan.Zero) - now).TotalDays, 2), Kind(kind), Name(name));

    private static KeyValuePair<string, object?> Kind(string kind) => new("kind", kind);

    private static KeyValuePair<string, object?> Name(string name) => new("name", name);

    private static IEnumerable<Measurement<int>> AcmeState(AcmeStatusSource acme)
    {
        var state = acme.Build().State;
        foreach (var candidate in AcmeStates)
        {
            yield return new Measurement<int>(candidate == state ? 1 : 0, new KeyValuePair<string, object?>("state", candidate));
        }
    }

    /// <summary>
    /// Client and device certificates from index.json (the newest of each name, not revoked), re-read only when
    /// the file changed. A box that carries only ca.crt, the CRL and its own certificate has no index: none then.
    /// </summary>
    private IReadOnlyList<IndexEntry> IssuedLeaves()
    {
        var store = PkiStore.Open(_paths.Directory);
        var stamp = FileStamp.Of(store.IndexPath);
        lock (_indexGate)
        {
            if (stamp == _indexStamp)
            {
                return _issued;
            }

            _indexStamp = stamp;
            try
            {
                _issued = [.. store.ReadIndex().Entries
                    .Where(e => e.Kind is CertificateKind.Client or CertificateKind.Device)
                    .GroupBy(e => e.Name, StringComparer.Ordinal)
                    .Select(g => g.MaxBy(e => e.NotBefore)!)
                    .Where(e => !e.IsRevoked)];
            }
            catch (Exception ex) when (ex is PkiException or IOException or UnauthorizedAccessException)
            {
                _issued = [];
            }

            return _issued;
        }
    }
}
