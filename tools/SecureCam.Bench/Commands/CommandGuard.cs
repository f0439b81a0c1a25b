namespace SecureCam.Bench.Commands;

/// <summary>
/// Runs a workload's action so that a failure is one line on stderr and a non-zero exit code:
/// 2 for bad input, 1 for a failed run; `--verbose` adds the exception detail.
/// </summary>
internal static class CommandGuard
{
    public static async Task<int> RunAsync(string workload, bool verbose, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (BenchInputException e)
        {
            await Console.Error.WriteLineAsync($"securecam-bench {workload}: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"securecam-bench {workload}: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException
            or System.Net.Sockets.SocketException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"securecam-bench {workload}: {e.Message}").ConfigureAwait(false);
            if (verbose)
            {
                await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return 1;
        }
    }
}
