using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`export-ca [--der] [--out F]`: the CA certificate, PEM or DER (what Android asks for).</summary>
internal static class ExportCaCommand
{
    public static Command Create()
    {
        var der = new Option<bool>("--der") { Description = "DER instead of PEM (for phones: save as .cer/.crt)" };
        var output = new Option<string?>("--out") { Description = "write to this file (default: standard output)" };
        var command = new Command("export-ca", "print or save the CA certificate") { der, output };
        CommandAction.Set(command, async (context, parse, cancellationToken) =>
        {
            using var ca = context.Store.ReadCaCertificate();
            var bytes = parse.GetValue(der) ? ca.RawData : System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n");
            if (parse.GetValue(output) is { } path)
            {
                AtomicFile.Write(path, bytes, AtomicFile.Public);
                await context.Error.WriteLineAsync($"Wrote {Path.GetFullPath(path)}").ConfigureAwait(false);
                return 0;
            }

            if (parse.GetValue(der) && !Console.IsOutputRedirected)
            {
                throw new PkiException("--der writes binary: add --out FILE or redirect the output");
            }

            using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
