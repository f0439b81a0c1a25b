using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`issue-client NAME`: a phone's or browser's identity, as PEM files and a .p12.</summary>
internal static class IssueClientCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "the client's name (its CommonName and file names)" };
        var role = new Option<string>("--role") { Description = "viewer (default), admin, or monitor (/metrics and /healthz only)", DefaultValueFactory = _ => "viewer" };
        var days = new Option<int>("--days") { Description = "validity in days", DefaultValueFactory = _ => CertificateProfiles.DefaultLeafDays };
        var password = new Option<string?>("--p12-password") { Description = "the .p12 password (default: a generated one, shown once)" };
        var format = new Option<string>("--p12-format") { Description = "legacy (3DES/SHA-1, every phone; default) or modern (AES-256/SHA-256)", DefaultValueFactory = _ => "legacy" };
        var command = new Command("issue-client", "issue a client identity for a phone or browser") { name, role, days, password, format };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            if (!CertificateProfiles.TryParseRole(parse.GetValue(role), out var parsedRole))
            {
                throw new PkiException($"--role: '{parse.GetValue(role)}' is not viewer, admin or monitor");
            }

            var request = new ClientCertificateRequest(parse.GetValue(name)!)
            {
                Role = parsedRole,
                Days = parse.GetValue(days),
                Pkcs12Password = parse.GetValue(password),
                Pkcs12Format = ParseFormat(parse.GetValue(format)),
            };
            context.CheckNewName(request.Name);
            using var ca = context.LoadCa();
            IssuedPrinter.Print(context.Out, ca.IssueClient(request, cancellationToken));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Pkcs12Format ParseFormat(string? text) => text?.ToLowerInvariant() switch
    {
        "legacy" => Pkcs12Format.Legacy,
        "modern" => Pkcs12Format.Modern,
        _ => throw new PkiException($"--p12-format: '{text}' is not legacy or modern"),
    };
}
