using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>
/// `verify FILE`: chain, validity, purpose and revocation against this CA. One line; exit 0 when the
/// certificate is good, 1 when it is not (or cannot be judged), 1 too for an unreadable file.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "a certificate, PEM or DER (cert.pem, chain.pem: the first one is checked)" };
        var command = new Command("verify", "check a certificate against this CA: chain, validity, purpose, revocation") { file };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new PkiException($"{path}: no such file");
            }

            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadCertificateFromFile(path);
            }
            catch (CryptographicException e)
            {
                throw new PkiException($"{path} is not a certificate: {e.Message}", e);
            }

            using (certificate)
            {
                var result = CertificateVerifier.Verify(context.Store, certificate);
                context.Out.WriteLine($"{path}: {result.Verdict}");
                return Task.FromResult(result.IsValid ? 0 : 1);
            }
        });
        return command;
    }
}
