using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
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
        var require = new Option<bool>("--require-client-cert") { Description = "Refuse cameras without a device certificate from --ca" };
        var output = new Option<string?>("--out") { Description = "Append records as JSON lines to FILE (default: stdout)" };
        var verbose = new Option<bool>("--verbose") { Description = "Show error details" };

        var root = new RootCommand("securecam-collector: receives SecureCam DTLS 1.2 telemetry and writes one JSON line per record.")
        {
            listen, cert, key, ca, require, output, verbose,
        };
        root.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            try
            {
                var options = new CollectorOptions
                {
                    Listen = ParseEndPoint(parse.GetValue(listen)!),
                    Identity = DtlsIdentity.Load(parse.GetValue(cert)!, parse.GetValue(key)!),
                    ClientCa = parse.GetValue(ca) is { } caPath ? CertificateFiles.LoadCertificates(caPath) : null,
                    RequireClientCertificate = parse.GetValue(require),
                };
                return await RunAsync(options, parse.GetValue(output), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TelemetryConfigurationException or IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or FormatException)
            {
                await Console.Error.WriteLineAsync("securecam-collector: " + (parse.GetValue(verbose) ? e.ToString() : e.Message)).ConfigureAwait(false);
                return 1;
            }
        });
        return root;
    }

    private static async Task<int> RunAsync(CollectorOptions options, string? outputPath, CancellationToken cancellationToken)
    {
        var writer = outputPath is null
            ? Console.Out
            : new StreamWriter(new FileStream(outputPath, FileMode.Append, FileAccess.Write, FileShare.Read));
        try
        {
            await using var collector = TelemetryCollector.Bind(options, writer, message => Console.Error.WriteLine(message));
            var clientAuth = options.ClientCa is null
                ? "device certificates not asked for (every camera is \"unverified\")"
                : options.RequireClientCertificate ? "device certificate required" : "device certificate asked for, optional";
            await Console.Error.WriteLineAsync(
                $"listening on udp {collector.LocalEndPoint} as \"{options.Identity.Leaf.Subject}\" (SHA-256 {PeerCertificateCheck.Fingerprint(options.Identity.Leaf)}); {clientAuth}").ConfigureAwait(false);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            await collector.RunAsync(stop.Token).ConfigureAwait(false);
            var counters = collector.Counters;
            await Console.Error.WriteLineAsync(
                $"stopped: {counters.Records} records, {counters.SessionsEstablished} sessions, {counters.HandshakesFailed} failed handshakes, {counters.MalformedRecords} malformed records, {counters.HelloVerifyRequests} cookies sent, {counters.IgnoredDatagrams} ignored datagrams").ConfigureAwait(false);
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

    internal static IPEndPoint ParseEndPoint(string text) =>
        IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port != 0
            ? endPoint
            : throw new TelemetryConfigurationException($"--listen: '{text}' is not ADDR:PORT (e.g. 127.0.0.1:5684)");
}
