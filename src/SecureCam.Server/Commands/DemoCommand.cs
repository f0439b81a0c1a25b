using System.CommandLine;
using SecureCam.Pki;
using SecureCam.Server.Configuration;
using SecureCam.Server.Demo;
using SecureCam.Server.Hosting;

namespace SecureCam.Server.Commands;

/// <summary>
/// `securecam demo`: one command on a machine with only the .NET SDK. Makes the PKI folder (--pki,
/// $SECURECAM_PKI, else ./pki) if missing with a demo CA without passphrase, a server certificate and
/// the client demo-viewer, then serves https://0.0.0.0:8443 with the synthetic camera and prints how to connect. A second run reuses it all.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var options = new ServeOptions();
        var command = new Command("demo", "Try SecureCam in one command: demo CA, certificates and the synthetic camera on https://0.0.0.0:8443.");
        options.AddTo(command);
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var verbose = result.GetValue(options.Verbose);
            try
            {
                var overrides = options.ToConfiguration(result);

                // The demo's own camera; --camera still wins. The PKI is Server:PkiDirectory as for serve
                // (--pki, $SECURECAM_PKI, else ./pki under the folder the command was run from).
                overrides.TryAdd("Camera:Source", "synthetic");
                var configuration = SecureCamConfiguration.Build(result.GetValue(options.Config), overrides);
                // The Server section first: the PKI folder must exist before the files other sections name can.
                using var all = SecureCamSettings.Open(configuration);
                var settings = SecureCamSettings.Stop(() => all.Server);

                DemoPki pki;
                try
                {
                    pki = DemoPkiSetup.Prepare(settings.PkiDirectory, settings.ServerCertificateName, cancellationToken);
                }
                catch (Exception ex) when (ex is PkiException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    throw new StartupException(ex.Message, ex);
                }

                foreach (var message in pki.Messages)
                {
                    Console.Out.WriteLine(message);
                }

                var app = SecureCamHost.Build(all, configuration, verbose: verbose);
                return await ServerRunner.RunAsync(app, _ => Console.Out.WriteLine(DemoBanner.Render(pki, settings.Listen)), cancellationToken).ConfigureAwait(false);
            }
            catch (StartupException ex)
            {
                return await ServerRunner.ReportAsync("demo", ex, verbose).ConfigureAwait(false);
            }
        });
        return command;
    }
}
