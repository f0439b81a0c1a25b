using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecureCam.Network.Addresses;
using SecureCam.Pki;
using SecureCam.PkiTool.Enrollment;

namespace SecureCam.PkiTool.Commands;

/// <summary>
/// `enroll NAME`: issues a client identity as issue-client does and writes a one-time ticket the running
/// server serves on its enrollment listener; prints the link as a QR code, and under it the .p12
/// password (never in the link), the CA fingerprint to compare on the phone, and the expiry.
/// </summary>
internal static class EnrollCommand
{
    /// <summary>The server's default enrollment listener (Enrollment:Listen), next to the viewer's 8443.</summary>
    public const int DefaultPort = 8444;

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "the phone's name (its CommonName and file names)" };
        var role = new Option<string>("--role") { Description = "viewer (default) or admin", DefaultValueFactory = _ => "viewer" };
        var ttl = new Option<int>("--ttl")
        {
            Description = "minutes the link stays valid (default 10)",
            DefaultValueFactory = _ => (int)EnrollmentTickets.DefaultLifetime.TotalMinutes,
        };
        var urlBase = new Option<string?>("--url-base") { Description = $"scheme, host and port of the link (default https://<this box's LAN address>:{DefaultPort})" };
        var qrPng = new Option<string?>("--qr-png") { Description = "also write the QR code as a PNG image to this file" };
        var json = new Option<bool>("--json") { Description = "print url, password, caFingerprint and expires as JSON instead" };
        var command = new Command("enroll", "issue a phone's identity and print a one-time link and QR code to fetch it") { name, role, ttl, urlBase, qrPng, json };
        CommandAction.Set(command, async (context, parse, cancellationToken) =>
        {
            var clientName = parse.GetValue(name)!;
            if (!CertificateProfiles.TryParseRole(parse.GetValue(role), out var parsedRole))
            {
                throw new PkiException($"--role: '{parse.GetValue(role)}' is not viewer or admin");
            }

            var minutes = parse.GetValue(ttl);
            var lifetime = TimeSpan.FromMinutes(minutes);
            if (minutes < 1 || lifetime > EnrollmentTickets.MaxLifetime)
            {
                throw new PkiException($"--ttl: {minutes} is out of range; a link may last 1 to {(int)EnrollmentTickets.MaxLifetime.TotalMinutes} minutes");
            }

            var baseUri = ParseBase(parse.GetValue(urlBase));
            context.CheckNewName(clientName);

            var tickets = new EnrollmentTickets(context.Store);
            using var ca = context.LoadCa();
            var issued = ca.IssueClient(
                new ClientCertificateRequest(clientName)
                {
                    Role = parsedRole,
                    Pkcs12Password = PasswordGenerator.NewShort(),
                    Pkcs12Format = Pkcs12Format.Legacy,
                },
                cancellationToken);

            // Links that ran out while no server was running: their keys go now.
            await tickets.SweepAsync(DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            var ticket = tickets.Create(issued, lifetime, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)), out var token);
            var url = $"{baseUri.GetLeftPart(UriPartial.Authority)}/enroll/{token}";
            var fingerprint = Thumbprints.Sha256Fingerprint(ca.Certificate);
            var expires = ticket.ExpiresAt;

            var png = parse.GetValue(qrPng);
            if (png is not null)
            {
                // The image carries the link: as secret as the link itself while it is valid.
                AtomicFile.Write(png, TerminalQrCode.Png(url), AtomicFile.Secret);
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new EnrollmentOutput(url, issued.Pkcs12Password!, fingerprint, expires), EnrollmentJsonContext.Default.EnrollmentOutput));
                return 0;
            }

            var output = context.Out;
            output.WriteLine($"Enrolling '{clientName}' ({CertificateProfiles.RoleName(parsedRole)}), serial {issued.Entry.Serial}. Scan this with the phone's camera:");
            output.WriteLine();
            output.Write(TerminalQrCode.Render(url, colours: !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null));
            output.WriteLine();
            output.WriteLine($"  link:           {url}");
            output.WriteLine($"  .p12 password:  {issued.Pkcs12Password}   (type it on the phone when asked; it is not in the link)");
            output.WriteLine($"  CA fingerprint: {fingerprint}");
            output.WriteLine($"                  (SHA-256; the phone's page must show the same)");
            output.WriteLine($"  expires:        {expires.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)} ({minutes} min); the link works once");
            if (png is not null)
            {
                output.WriteLine($"  QR image:       {Path.GetFullPath(png)}");
            }

            output.WriteLine("The camera server must be running (securecam serve): it opens the enrollment port while the link is valid.");
            WarnIfServerCertificateMisses(context, baseUri);
            return 0;
        });
        return command;
    }

    private static Uri ParseBase(string? text)
    {
        if (text is null)
        {
            var lan = LanAddresses.Read()
                .OrderBy(a => AddressClassifier.Classify(a) == AddressScope.Private ? 0 : 1)
                .FirstOrDefault()
                ?? throw new PkiException("this box has no LAN address to put in the link; pass --url-base https://HOST:8444");
            return new Uri($"https://{lan}:{DefaultPort}");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new PkiException($"--url-base: '{text}' is not https://HOST[:PORT]");
        }

        return uri;
    }

    /// <summary>The phone reaches the camera by the same host afterwards: say so now if the server certificate does not name it.</summary>
    private static void WarnIfServerCertificateMisses(ToolContext context, Uri baseUri)
    {
        var path = context.Store.CertificatePath("server");
        if (!File.Exists(path))
        {
            return;
        }

        using var server = X509CertificateLoader.LoadCertificateFromFile(path);
        var host = baseUri.IdnHost.Trim('[', ']');

        // An address is matched against the IP SANs, a name against the DNS ones, as the phone's browser does.
        if (!server.MatchesHostname(host, allowWildcards: true, allowCommonName: false))
        {
            context.Error.WriteLine($"securecam-pki: warning: the server certificate ({path}) does not name {host}; the phone will warn on the camera's address too (issue-server with --dns/--ip {host})");
        }
    }
}
