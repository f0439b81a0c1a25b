using SecureCam.TestSupport;

namespace SecureCam.Collector.Tests;

/// <summary>Starts the real `securecam-collector` executable (built next to the tests) on a free loopback port.</summary>
public static class CollectorProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "securecam-collector");

    public static async Task<RunningProcess> StartAsync(params string[] arguments)
    {
        var process = ExternalProcess.Start(Executable, arguments);
        await process.WaitForOutputAsync("listening on udp", TimeSpan.FromSeconds(60));
        return process;
    }
}
