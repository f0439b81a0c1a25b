using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Collector.Metrics;
using SecureCam.Telemetry;

namespace SecureCam.Collector;

/// <summary>The command line of `securecam-collector`.</summary>
internal static class CollectorCommand
{
    public static RootCommand Create()
    {
        var listen = new Option<string>("--listen") { Description = "ADDR:PORT to listen on (UDP), e.g. 0.0.0.0:5684 or [::]:5684", Required = true };
        var cert = new Option<string>("--cert") { Description = "The collector's certificate (PEM; serverAuth with the DNS/IP name cameras expect)", Required = true };
        var key = new Option<string>("--key") { Description = "Its private key (PEM, ECDSA P-256 or P-384)", Required = true };
        var ca = new Option<string?>("--ca") { Description = "CA certificate that camera device certificates must chain to; cameras are then asked for one" };
        var crl = new Option<string?>("--crl")
        {
            Description = "The CA's CRL (PEM): revoked device certificates and scrapers are refused and camera sessions ended, live (default: crl.pem beside --ca, when there is one)",
        };
        var require = new Option<bool>("--require-client-cert") { Description = "Refuse cameras without a device certificate from --ca" };
        var output = new Option<string?>("--out") { Description = "Append records as JSON lines to FILE (default: stdout)" };
        var verbose = new Option<bool>("--verbose") { Description = "Show error details" };
        var metricsListen = new Option<string?>("--metrics-listen") { Description = "ADDR:PORT (TCP) for https://…/metrics: the cameras' metrics, for monitor and admin certificates from --metrics-ca" };
        var metricsCa = new Option<string?>("--metrics-ca") { Description = "CA certificate that scrapers' client certificates must chain to (default: --ca)" };
        var otlp = new Option<string?>("--otlp-endpoint") { Description = "Push the cameras' metrics over OTLP/HTTP to URL (e.g. https://otel.lan:4318)" };
        var otlpCert = new Option<string?>("--otlp-cert") { Description = "Client certificate (PEM) shown when the OTLP endpoint asks for one" };
        var otlpKey = new Option<string?>("--otlp-key") { Description = "Its private key (PEM)" };
        var otlpCa = new Option<string?>("--otlp-ca") { Description = "The OTLP endpoint's certificate must chain to this CA (default: the system's roots)" };

        var root = new RootCommand("securecam-collector: receives SecureCam DTLS 1.2 telemetry, writes one JSON line per record, and serves the cameras' metrics.")
        {
            listen, cert, key, ca, crl, require, output, verbose, metricsListen, metricsCa, otlp, otlpCert, otlpKey, otlpCa,
        };
        root.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            try
            {
                using var metrics = new CameraMetrics(TimeProvider.System);
                var caPath = parse.GetValue(ca);
                var clientCa = caPath is null ? null : CertificateFiles.LoadCertificates(caPath);
                var options = new CollectorOptions
                {
                    Listen = ParseEndPoint(parse.GetValue(listen)!),
                    Identity = DtlsIdentity.Load(parse.GetValue(cert)!, parse.GetValue(key)!),
                    ClientCa = clientCa,
                    ClientCrl = OpenCrl(parse.GetValue(crl), caPath, clientCa),
                    RequireClientCertificate = parse.GetValue(require),
                    RecordReceived = metrics.OnRecord,
                };
                var metricsOptions = new MetricsListenerOptions
                {
                    Listen = parse.GetValue(metricsListen) is { } m ? ParseEndPoint(m, "--metrics-listen") : null,
                    CertificatePath = parse.GetValue(cert)!,
                    KeyPath = parse.GetValue(key)!,
                    ClientCa = parse.GetValue(metricsCa) is { } scraperCa ? CertificateFiles.LoadCertificates(scraperCa) : clientCa,
                    CrlPath = parse.GetValue(crl) is { } crlPath ? RequireFile(crlPath, "--crl") : parse.GetValue(metricsCa) is null ? options.ClientCrl?.Path : null,
                    OtlpEndpoint = parse.GetValue(otlp) is { } endpoint ? ParseUrl(endpoint) : null,
                    OtlpClientCertificate = LoadClientCertificate(parse.GetValue(otlpCert), parse.GetValue(otlpKey)),
                    OtlpTrust = parse.GetValue(otlpCa) is { } otlpCaPath ? CertificateFiles.LoadCertificates(otlpCaPath) : null,
                };
                return await RunAsync(options, metricsOptions, metrics, parse.GetValue(output), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TelemetryConfigurationException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or FormatException or System.Security.Cryptography.CryptographicException)
            {
                await Console.Error.WriteLineAsync("securecam-collector: " + (parse.GetValue(verbose) ? e.ToString() : e.Message)).ConfigureAwait(false);
                return 1;
            }
        });
        return root;
    }

    private static async Task<int> RunAsync(CollectorOptions options, MetricsListenerOptions metricsOptions, CameraMetrics metrics, string? outputPath, CancellationToken cancellationToken)
    {
        var writer = outputPath is null
            ? Console.Out
            // Unbuffered file, one write per line: a write that fails on a full disk leaves nothing behind to retry,
            // and the stream's position advances only on success, so the next line lands where the failed one began.
            : new StreamWriter(new FileStream(outputPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0));
        try
        {
            await using var collector = TelemetryCollector.Bind(options, writer, message => Console.Error.WriteLine(message));
            metrics.Observe(collector);
            await using var exporter = await MetricsListener.StartAsync(metricsOptions, metrics, cancellationToken).ConfigureAwait(false);
            if (metricsOptions.Listen is { } metricsAt)
            {
                await Console.Error.WriteLineAsync($"metrics on https://{metricsAt}/metrics (monitor or admin certificates)").ConfigureAwait(false);
            }

            var clientAuth = options.ClientCa is null
                ? "device certificates not asked for (every camera is \"unverified\")"
                : options.RequireClientCertificate ? "device certificate required" : "device certificate asked for, optional";
            if (options.ClientCa is not null)
            {
                clientAuth += options.ClientCrl is { } revocation
                    ? $"; revocation from {revocation.Path}" + (revocation.Current is { } list ? $" (CRL number {list.Number})" : " (not there yet: nothing revoked)")
                    : "; no CRL: revoked device certificates are not refused (--crl)";
            }

            await Console.Error.WriteLineAsync(
                $"listening on udp {collector.LocalEndPoint} as \"{options.Identity.Leaf.Subject}\" (SHA-256 {PeerCertificateCheck.Fingerprint(options.Identity.Leaf)}); {clientAuth}").ConfigureAwait(false);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            await collector.RunAsync(stop.Token).ConfigureAwait(false);
            var counters = collector.Counters;
            await Console.Error.WriteLineAsync(
                $"stopped: {counters.Records} records, {counters.SessionsEstablished} sessions, {counters.HandshakesFailed} failed handshakes, {counters.MalformedRecords} malformed records, {counters.HelloVerifyRequests} cookies sent, {counters.IgnoredDatagrams} ignored datagrams, {counters.RateLimitedRecords} rate-limited records, {counters.OutputErrors} output errors, {counters.InternalErrors} internal errors").ConfigureAwait(false);
            return 0;

            void Stop(PosixSignalContext context)
            {
                // Keep the process alive until the sessions have been closed with close_notify.
                context.Cancel = true;
                stop.Cancel();
            }
        }
        finally
        {
            if (outputPath is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The CRL named by --crl (which must exist), else crl.pem beside the CA file when there is one.</summary>
    private static RevocationFile? OpenCrl(string? crlPath, string? caPath, X509Certificate2Collection? clientCa)
    {
        if (crlPath is not null)
        {
            if (clientCa is null)
            {
                throw new TelemetryConfigurationException("--crl needs --ca (the CA that signed the CRL and the device certificates)");
            }

            if (!File.Exists(crlPath))
            {
                throw new TelemetryConfigurationException($"--crl: {crlPath} does not exist");
            }

            return RevocationFile.Open(crlPath, clientCa, message => Console.Error.WriteLine(message));
        }

        var beside = caPath is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(caPath))!, "crl.pem");
        return beside is not null && File.Exists(beside) ? RevocationFile.Open(beside, clientCa!, message => Console.Error.WriteLine(message)) : null;
    }

    internal static IPEndPoint ParseEndPoint(string text, string option = "--listen") =>
        IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port != 0
            ? endPoint
            : throw new TelemetryConfigurationException($"{option}: '{text}' is not ADDR:PORT (e.g. 127.0.0.1:5684)");

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new TelemetryConfigurationException($"--otlp-endpoint: '{text}' is not an http:// or https:// URL (e.g. https://otel.lan:4318)");

    private static string RequireFile(string path, string option) =>
        File.Exists(path) ? Path.GetFullPath(path) : throw new TelemetryConfigurationException($"{option}: {path} does not exist");

    private static System.Security.Cryptography.X509Certificates.X509Certificate2? LoadClientCertificate(string? certificatePath, string? keyPath)
    {
        if (certificatePath is null && keyPath is null)
        {
            return null;
        }

        if (certificatePath is null || keyPath is null)
        {
            throw new TelemetryConfigurationException("--otlp-cert and --otlp-key go together");
        }

        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
