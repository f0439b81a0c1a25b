using System.CommandLine;
using SecureCam.Server.Hosting;

namespace SecureCam.Server.Commands;

/// <summary>`securecam serve`: the camera server with mutual TLS, from an existing PKI folder.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var options = new ServeOptions();
        var command = new Command("serve", "Serve the camera over HTTPS to clients holding a certificate from the local CA.");
        options.AddTo(command);
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var verbose = result.GetValue(options.Verbose);
            try
            {
                var configuration = SecureCamConfiguration.Build(result.GetValue(options.Config), options.ToConfiguration(result));
                var app = SecureCamHost.Build(configuration, verbose: verbose);
                return await ServerRunner.RunAsync(app, PrintAddresses, cancellationToken).ConfigureAwait(false);
            }
            catch (StartupException ex)
            {
                return await ServerRunner.ReportAsync("serve", ex, verbose).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static void PrintAddresses(IReadOnlyList<string> addresses)
    {
        foreach (var address in addresses)
        {
            Console.Out.WriteLine($"securecam: listening on {address}");
        }
    }
}
