using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`export-profile NAME`: an iOS/macOS .mobileconfig with the root and the client's identity.</summary>
internal static class ExportProfileCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "an issued client" };
        var output = new Option<string?>("--out") { Description = "where to write it (default: issued/NAME/NAME.mobileconfig)" };
        var password = new Option<string?>("--embed-password") { Description = "put this .p12 password in the profile (else the device asks for it)" };
        var command = new Command("export-profile", "write an iOS/macOS .mobileconfig that installs the CA and the client identity") { name, output, password };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            var clientName = parse.GetValue(name)!;
            CertificateNames.Validate(clientName);
            var entry = context.Store.ReadIndex().FindLatest(clientName);
            if (entry is null || entry.Kind != CertificateKind.Client)
            {
                throw new PkiException($"no client named '{clientName}'; issue one with issue-client");
            }

            var p12Path = context.Store.Pkcs12Path(clientName);
            if (!File.Exists(p12Path))
            {
                throw new PkiException($"{p12Path} is missing; renew '{clientName}' to make a new one");
            }

            var p12 = File.ReadAllBytes(p12Path);
            var embedded = parse.GetValue(password);
            if (embedded is not null && !Pkcs12Files.PasswordOpens(p12, embedded))
            {
                throw new PkiException($"--embed-password does not open {p12Path}; nothing written");
            }

            using var ca = context.Store.ReadCaCertificate();
            var path = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(context.Store.EntryDirectory(clientName), clientName + ".mobileconfig"));

            // It carries the encrypted key (and maybe its password): a secret like the .p12 itself.
            AtomicFile.WriteText(path, MobileConfigProfile.Create(ca, clientName, p12, embedded), AtomicFile.Secret);
            context.Out.WriteLine($"Wrote {path} (CA and identity '{clientName}'; password {(embedded is null ? "asked for on the device" : "EMBEDDED - treat the file as a secret")})");
            return Task.FromResult(0);
        });
        return command;
    }
}
