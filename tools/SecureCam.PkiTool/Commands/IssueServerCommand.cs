using System.CommandLine;
using System.Net;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`issue-server NAME --dns HOST… --ip ADDR…`: a TLS server certificate.</summary>
internal static class IssueServerCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "name under issued/ (the server uses \"server\")" };
        var dns = new Option<string[]>("--dns") { Description = "DNS names the server answers to", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
        var ip = new Option<string[]>("--ip") { Description = "IP addresses the server answers on", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
        var days = new Option<int>("--days") { Description = $"validity in days (at most {CertificateProfiles.MaxServerDays})", DefaultValueFactory = _ => CertificateProfiles.DefaultLeafDays };
        var command = new Command("issue-server", "issue a TLS server certificate") { name, dns, ip, days };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            var request = new ServerCertificateRequest(parse.GetValue(name)!)
            {
                DnsNames = parse.GetValue(dns) ?? [],
                IpAddresses = (parse.GetValue(ip) ?? []).Select(ParseAddress).ToList(),
                Days = parse.GetValue(days),
            };
            context.CheckNewName(request.Name);
            using var ca = context.LoadCa();
            IssuedPrinter.Print(context.Out, ca.IssueServer(request, cancellationToken));
            return Task.FromResult(0);
        });
        return command;
    }

    private static IPAddress ParseAddress(string text) =>
        IpAddresses.TryParseStrict(text) ?? throw new PkiException($"--ip: '{text}' is not an IP address");
}
