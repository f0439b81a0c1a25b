using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`renew NAME`: a new key and certificate with the same names and role; the old one is revoked (superseded).</summary>
internal static class RenewCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "an issued name" };
        var password = new Option<string?>("--p12-password") { Description = "for clients: the new .p12 password (default: a generated one, shown once)" };
        var command = new Command("renew", "replace a certificate with a new key and certificate; the old one is revoked as superseded") { name, password };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            var renewName = parse.GetValue(name)!;
            CertificateNames.Validate(renewName);
            if (context.Store.ReadIndex().FindLatest(renewName) is null)
            {
                throw new PkiException($"no certificate named '{renewName}' to renew");
            }

            using var ca = context.LoadCa();
            IssuedPrinter.Print(context.Out, ca.Renew(renewName, parse.GetValue(password), cancellationToken));
            return Task.FromResult(0);
        });
        return command;
    }
}
