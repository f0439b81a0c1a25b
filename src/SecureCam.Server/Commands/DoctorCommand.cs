using System.CommandLine;
using System.Net;
using SecureCam.Network.Clock;
using SecureCam.Network.Doctor;
using SecureCam.Server.Configuration;
using SecureCam.Server.Hosting;

namespace SecureCam.Server.Commands;

/// <summary>
/// `securecam doctor`: explains why a phone cannot reach the camera (listen address, NAT, CGNAT, clock,
/// certificate names). Exit code 0 when nothing is a problem, 1 when something is, 2 for bad input.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var wanIp = new Option<string?>("--wan-ip") { Description = "The router's WAN (Internet) address, from its status page" };
        var publicIp = new Option<string?>("--public-ip") { Description = "The address the internet sees (e.g. from a 'what is my IP' site)" };
        var publicIpUrl = new Option<string?>("--public-ip-url")
        {
            Description = "Look the public address up at this URL (plain-text answer, e.g. https://api.ipify.org); only called when given",
        };
        var listen = new Option<string[]>("--listen")
        {
            Description = "Listen URL(s) to check, as `serve --listen` (default: Server:Listen, else https://0.0.0.0:8443)",
            AllowMultipleArgumentsPerToken = true,
            Arity = ArgumentArity.ZeroOrMore,
        };
        var config = new Option<string?>("--config") { Description = "An extra JSON settings file (like appsettings.json)" };
        var pki = new Option<string?>("--pki") { Description = "PKI folder, as `serve --pki` (default: Server:PkiDirectory, $SECURECAM_PKI, ./pki)" };
        var ntp = new Option<string>("--ntp")
        {
            Description = "SNTP server HOST[:PORT] for the clock check, or 'off'",
            DefaultValueFactory = _ => "pool.ntp.org",
        };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON" };
        var verbose = new Option<bool>("--verbose") { Description = "Show the details of an error" };

        var command = new Command("doctor", "Explain the network this box sits in: addresses, listening sockets, NAT/CGNAT, clock, certificate names")
        {
            wanIp, publicIp, publicIpUrl, listen, config, pki, ntp, json, verbose,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            DoctorOptions options;
            try
            {
                // The settings `serve` would run with, read by the same code; --listen and --pki are the
                // command-line layer, exactly as for `serve`.
                var commandLine = ServeOptions.CommandLineLayer(pr.GetValue(listen), pr.GetValue(pki), camera: null);
                // Only the sections about the network: the others may name files the doctor need not open.
                using var settings = SecureCamSettings.Open(SecureCamConfiguration.Build(pr.GetValue(config), commandLine));
                var server = SecureCamSettings.Stop(() => settings.Server);
                var acme = SecureCamSettings.Stop(() => settings.Acme);
                var ntpText = pr.GetValue(ntp)!;
                options = new DoctorOptions
                {
                    Listen = [.. server.Listen, .. server.PublicListen],
                    PkiDirectory = server.PkiDirectory,
                    ServerCertificateName = server.ServerCertificateName,
                    WanIp = ParseAddress("--wan-ip", pr.GetValue(wanIp)),
                    PublicIp = ParseAddress("--public-ip", pr.GetValue(publicIp)),
                    PublicIpUrl = ParseUrl(pr.GetValue(publicIpUrl)),
                    AcmeIdentifiers = acme.Domains,
                    NtpServer = string.Equals(ntpText, "off", StringComparison.OrdinalIgnoreCase) ? null : NtpServerAddress.Parse(ntpText),
                };
                options.Validate();
            }
            catch (Exception e) when (e is FormatException or StartupException)
            {
                await Console.Error.WriteLineAsync("securecam doctor: " + e.Message).ConfigureAwait(false);
                if (pr.GetValue(verbose))
                {
                    await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
                }

                return 2;
            }

            var report = await DoctorRunner.RunAsync(options, ct).ConfigureAwait(false);
            if (pr.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                DoctorJsonWriter.Write(report, stdout);
                await stdout.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
            }
            else
            {
                DoctorTextWriter.Write(report, Console.Out);
            }

            return report.ExitCode;
        });
        return command;
    }

    private static IPAddress? ParseAddress(string option, string? text) =>
        text is null ? null
        : IPAddress.TryParse(text, out var address) ? address
        : throw new FormatException($"{option} {text}: not an IP address");

    private static Uri? ParseUrl(string? text) =>
        text is null ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri
        : throw new FormatException($"--public-ip-url {text}: not a URL");
}
