using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SecureCam.Server.Hosting;

namespace SecureCam.Server.Commands;

/// <summary>Starts a built server, prints where it listens, and runs until Ctrl+C (or SIGTERM).</summary>
internal static class ServerRunner
{
    public static async Task<int> RunAsync(WebApplication app, Action<IReadOnlyList<string>>? onStarted, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // Kestrel: "Failed to bind to address https://127.0.0.1:8443: address already in use."
            await app.DisposeAsync().ConfigureAwait(false);
            throw new StartupException(ex.Message, ex);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        onStarted?.Invoke(addresses);
        Console.Out.WriteLine("Press Ctrl+C to stop.");
        await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }

        Console.Out.WriteLine("securecam: stopped.");
        return 0;
    }

    /// <summary>The one-line error of a start that failed (the detail only with --verbose); returns the exit code.</summary>
    public static async Task<int> ReportAsync(string verb, StartupException error, bool verbose)
    {
        await Console.Error.WriteLineAsync($"securecam {verb}: {error.Message}").ConfigureAwait(false);
        if (verbose && error.InnerException is not null)
        {
            await Console.Error.WriteLineAsync(error.InnerException.ToString()).ConfigureAwait(false);
        }

        return 2;
    }
}
