using System.CommandLine;
using System.Net.Sockets;
using SecureCam.Acme;

namespace SecureCam.Server.Commands;

/// <summary>
/// `securecam acme issue`: one certificate from an ACME CA, for scripts. Answers the challenge itself
/// (http-01 on --http-port, or tls-alpn-01 on --tls-port), writes DIR/key.pem (0600) and
/// DIR/fullchain.pem atomically, and keeps the account key under DIR/accounts/ so reruns reuse the account.
/// The running server renews on its own; this verb is for everything else.
/// </summary>
internal static class AcmeCommand
{
    public static Command Create()
    {
        var command = new Command("acme", "Publicly trusted certificates over ACME (RFC 8555).");
        command.Subcommands.Add(CreateIssue());
        return command;
    }

    private static Command CreateIssue()
    {
        var directory = new Option<string>("--directory") { Description = "ACME directory URL, e.g. https://acme-v02.api.letsencrypt.org/directory", Required = true };
        var domains = new Option<string[]>("--domain") { Description = "Name on the certificate (repeat for more)", Required = true, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore };
        var email = new Option<string[]>("--email") { Description = "Contact address for the ACME account", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
        var challenge = new Option<string>("--challenge") { Description = "http-01 (port 80) or tls-alpn-01 (port 443)", DefaultValueFactory = _ => ChallengeTypes.Http01 };
        challenge.AcceptOnlyFromAmong(ChallengeTypes.Http01, ChallengeTypes.TlsAlpn01);
        var httpPort = new Option<int>("--http-port") { Description = "Port to answer http-01 on (the CA always asks port 80; forward it here)", DefaultValueFactory = _ => 80 };
        var tlsPort = new Option<int>("--tls-port") { Description = "Port to answer tls-alpn-01 on (the CA always asks port 443; forward it here)", DefaultValueFactory = _ => 443 };
        var trust = new Option<string?>("--trust") { Description = "PEM file of extra roots trusted for the ACME server's own TLS (a test CA such as Pebble's)" };
        var acceptTos = new Option<bool>("--accept-tos") { Description = "Accept the CA's terms of service" };
        var eabKid = new Option<string?>("--eab-kid") { Description = "External account binding key id, when the CA requires one" };
        var eabHmac = new Option<string?>("--eab-hmac") { Description = "External account binding MAC key (base64url), with --eab-kid" };
        var output = new Option<string>("--out") { Description = "Folder for key.pem and fullchain.pem", Required = true };
        var profile = new Option<string?>("--profile") { Description = "Certificate profile the CA advertises, e.g. shortlived (Let's Encrypt: six days, IP addresses allowed)" };
        var verbose = new Option<bool>("--verbose") { Description = "Print the full error" };

        var issue = new Command("issue", "Issue one certificate now and write it to --out.")
        {
            directory, domains, email, challenge, httpPort, tlsPort, trust, acceptTos, eabKid, eabHmac, output, profile, verbose,
        };
        issue.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var request = new AcmeIssueRequest(
                parse.GetValue(directory)!,
                parse.GetValue(domains) ?? [],
                parse.GetValue(email) ?? [],
                parse.GetValue(challenge)!,
                parse.GetValue(httpPort),
                parse.GetValue(tlsPort),
                parse.GetValue(trust),
                parse.GetValue(acceptTos),
                parse.GetValue(eabKid),
                parse.GetValue(eabHmac),
                parse.GetValue(output)!,
                parse.GetValue(profile));
            try
            {
                return await AcmeIssueRunner.RunAsync(request, Console.Out, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AcmeException or ArgumentException or IOException or UnauthorizedAccessException
                or SocketException or System.Security.Cryptography.CryptographicException)
            {
                await Console.Error.WriteLineAsync("securecam acme issue: " + AcmeIssueRunner.Describe(e, request)).ConfigureAwait(false);
                if (parse.GetValue(verbose))
                {
                    await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
                }

                return 1;
            }
        });
        return issue;
    }
}
