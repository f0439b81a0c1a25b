using System.CommandLine;
using SecureCam.Telemetry;

namespace SecureCam.Server.Commands;

/// <summary>`securecam telemetry test`: one DTLS handshake and one record, saying what was and was not verified.</summary>
internal static class TelemetryCommand
{
    public static Command Create()
    {
        var command = new Command("telemetry", "DTLS telemetry to a collector.");
        command.Subcommands.Add(CreateTest());
        return command;
    }

    private static Command CreateTest()
    {
        var to = new Option<string>("--to") { Description = "The collector, HOST:PORT (UDP)", Required = true };
        var mode = new Option<string>("--mode") { Description = "encrypt-only (private, peer not checked) or verified (collector must chain to --ca and carry --server-name)", Required = true };
        var ca = new Option<string?>("--ca") { Description = "CA certificate (PEM) the collector must chain to (verified)" };
        var serverName = new Option<string?>("--server-name") { Description = "DNS name or IP the collector's certificate must carry (verified; default: the host of --to)" };
        var cert = new Option<string?>("--cert") { Description = "Device certificate (PEM) to show when the collector asks (mutual DTLS)" };
        var key = new Option<string?>("--key") { Description = "Its private key (PEM)" };
        var message = new Option<string>("--message") { Description = "Text carried in the test record", DefaultValueFactory = _ => "telemetry test" };
        var timeout = new Option<double>("--timeout") { Description = "Handshake timeout in seconds", DefaultValueFactory = _ => 10 };
        var verbose = new Option<bool>("--verbose") { Description = "Show error details" };

        var command = new Command("test", "One handshake and one record to a collector; prints what was and was not verified. Exit 0 on success, 1 on refusal.")
        {
            to, mode, ca, serverName, cert, key, message, timeout, verbose,
        };
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            try
            {
                var (host, port) = TelemetryEndpoint.Parse(parse.GetValue(to)!, "--to");
                var settings = BuildSettings(parse, mode, ca, serverName, cert, key, host, TimeSpan.FromSeconds(parse.GetValue(timeout)));
                return await RunAsync(host, port, settings, parse.GetValue(message)!, cancellationToken).ConfigureAwait(false);
            }
            catch (TelemetryConfigurationException e)
            {
                await Console.Error.WriteLineAsync("securecam telemetry test: " + (parse.GetValue(verbose) ? e.ToString() : e.Message)).ConfigureAwait(false);
                return 2;
            }
            catch (DtlsRefusedException e)
            {
                await Console.Error.WriteLineAsync("refused: " + e.Message).ConfigureAwait(false);
                if (e.Peer is { } peer)
                {
                    await Console.Error.WriteLineAsync($"the collector showed \"{peer.Subject}\" issued by \"{peer.Issuer}\", SHA-256 {peer.Fingerprint}").ConfigureAwait(false);
                }

                return 1;
            }
            catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                await Console.Error.WriteLineAsync("securecam telemetry test: " + (parse.GetValue(verbose) ? e.ToString() : e.Message)).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static ClientSettings BuildSettings(
        ParseResult parse,
        Option<string> mode,
        Option<string?> ca,
        Option<string?> serverName,
        Option<string?> cert,
        Option<string?> key,
        string host,
        TimeSpan handshakeTimeout)
    {
        var parsedMode = TelemetryModeNames.TryParse(parse.GetValue(mode))
            ?? throw new TelemetryConfigurationException("--mode must be encrypt-only or verified");
        var certPath = parse.GetValue(cert);
        var keyPath = parse.GetValue(key);
        if ((certPath is null) != (keyPath is null))
        {
            throw new TelemetryConfigurationException("--cert and --key go together");
        }

        return new ClientSettings
        {
            Mode = parsedMode,
            TrustAnchor = parse.GetValue(ca) is { } caPath ? CertificateFiles.LoadCertificates(caPath) : null,
            ExpectedName = parse.GetValue(serverName) ?? (parsedMode == TelemetryMode.Verified ? host : null),
            DeviceIdentity = certPath is null ? null : DtlsIdentity.Load(certPath, keyPath!),
            HandshakeTimeout = handshakeTimeout > TimeSpan.Zero ? handshakeTimeout : throw new TelemetryConfigurationException("--timeout must be positive"),
        };
    }

    private static async Task<int> RunAsync(string host, int port, ClientSettings settings, string message, CancellationToken cancellationToken)
    {
        if (settings.Mode == TelemetryMode.EncryptOnly)
        {
            await Console.Error.WriteLineAsync(TelemetryWarnings.EncryptOnly).ConfigureAwait(false);
        }

        using var connection = await DtlsClientConnection.ConnectAsync(host, port, settings, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"handshake with {host}:{port} completed in {connection.HandshakeTime.TotalMilliseconds:0} ms (DTLS 1.2, ECDHE-ECDSA AES-GCM, extended master secret)");
        Console.WriteLine("mode: " + settings.Mode.ToName());
        Console.WriteLine(connection.Peer.Describe());
        if (!connection.Peer.Verified)
        {
            Console.WriteLine("NOT verified: who answered; an active man in the middle would not be noticed. Checked only: the peer holds the key of the certificate it showed.");
        }

        Console.WriteLine(connection.DeviceCertificateSent
            ? $"device certificate shown: \"{settings.DeviceIdentity!.Leaf.Subject}\""
            : settings.DeviceIdentity is null ? "device certificate: none given" : "device certificate: not asked for by the collector");

        var record = new TelemetryRecord
        {
            CameraId = settings.DeviceIdentity is null ? Environment.MachineName : PeerCertificateCheck.CommonName(settings.DeviceIdentity.Leaf),
            Time = DateTimeOffset.UtcNow,
            Sequence = 1,
            Message = message,
        };
        connection.Send(TelemetryJson.Serialize(record));

        // The collector acknowledges each record; an echo server (openssl s_server) does not, so no ack is not an error.
        var buffer = new byte[DtlsPolicy.ReceiveLimit];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < deadline)
        {
            var received = connection.Receive(buffer, 250);
            if (received >= 0 && TelemetryJson.ReadAcknowledgement(buffer.AsSpan(0, received)) == 1)
            {
                Console.WriteLine("record 1 sent and acknowledged");
                return 0;
            }
        }

        Console.WriteLine("record 1 sent; no acknowledgement within 3 s (the peer is not a SecureCam collector, or it was lost)");
        return 0;
    }
}
