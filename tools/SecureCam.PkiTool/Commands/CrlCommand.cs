using System.CommandLine;

namespace SecureCam.PkiTool.Commands;

/// <summary>`crl`: writes crl.pem again (run it yearly: a CRL is current for a year).</summary>
internal static class CrlCommand
{
    public static Command Create()
    {
        var command = new Command("crl", "regenerate crl.pem (a new number and validity)");
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            using var ca = context.LoadCa();
            var crl = ca.WriteCrl(cancellationToken);
            context.Out.WriteLine($"Wrote {context.Store.CrlPath}: number {crl.Number}, {crl.Revoked.Count} revoked, next update {crl.NextUpdate:yyyy-MM-dd}");
            return Task.FromResult(0);
        });
        return command;
    }
}
