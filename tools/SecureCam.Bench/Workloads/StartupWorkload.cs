using System.Buffers;
using System.Diagnostics;
using SecureCam.Bench.Http;
using SecureCam.Bench.Sampling;
using SecureCam.Bench.Stats;
using SecureCam.Bench.Tls;

namespace SecureCam.Bench.Workloads;

/// <summary>
/// From process start to the first frame served: starts the server command, polls `GET /snapshot` on
/// new mutual-TLS connections until one returns a JPEG, and reports the time since the start. Then it
/// lets the server sit idle and reads its RSS from /proc, and stops it. Repeated for several runs.
/// </summary>
internal sealed class StartupWorkload
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private readonly MutualTlsConnector _connector;

    public StartupWorkload(MutualTlsConnector connector)
    {
        _connector = connector;
    }

    public required IReadOnlyList<string> Command { get; init; }

    public required int Runs { get; init; }

    public required TimeSpan Timeout { get; init; }

    public required TimeSpan Settle { get; init; }

    public async Task<StartupResult> RunAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var firstFrame = new List<double>();
        var idleRss = new List<double>();
        var failures = new List<string>();
        for (var run = 1; run <= Runs; run++)
        {
            var (ms, rssMb, failure) = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                failures.Add($"run {run}: {failure}");
                await progress.WriteLineAsync($"  run {run}: {failure}").ConfigureAwait(false);
                continue;
            }

            firstFrame.Add(ms);
            idleRss.Add(rssMb);
            await progress.WriteLineAsync($"  run {run}: first frame after {ms:F0} ms, idle RSS {rssMb:F1} MB").ConfigureAwait(false);
        }

        return new StartupResult(
            _connector.Url.ToString(),
            string.Join(' ', Command),
            Runs,
            Percentiles.Summarize(firstFrame.ToArray()),
            Percentiles.Summarize(idleRss.ToArray()),
            Settle.TotalSeconds,
            failures);
    }

    private async Task<(double FirstFrameMs, double IdleRssMb, string? Failure)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        var request = HttpGet.Request(_connector.Url.PathAndQuery, _connector.HostHeader, close: true);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var started = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Timeout);
            while (true)
            {
                if (process.HasExited)
                {
                    return (0, 0, $"the server exited with code {process.ExitCode} before serving a frame: {string.Join(" | ", output.TakeLast(3))}");
                }

                if (await TrySnapshotAsync(request, buffer, deadline.Token).ConfigureAwait(false))
                {
                    break;
                }

                if (deadline.IsCancellationRequested)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return (0, 0, $"no frame within {Timeout.TotalSeconds:0.#} s");
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }

            var firstFrameMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            // Idle: no viewer, no further snapshot; the camera may stop after its grace period.
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            var tree = ProcessTree.Read(process.Id);
            var rssMb = tree.Sum(s => s.ResidentPages) * (double)Environment.SystemPageSize / (1024 * 1024);
            return (firstFrameMs, rssMb, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TrySnapshotAsync(byte[] request, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await using var tls = await _connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var (head, offset, count) = await HttpGet.SendAsync(tls, request, buffer, cancellationToken).ConfigureAwait(false);
            await SnapshotResponse.ReadBodyAsync(tls, head, buffer, offset, count, new CountingBodyConsumer(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException
            or System.Security.Authentication.AuthenticationException or BenchHttpException or OperationCanceledException)
        {
            // Not listening yet, or no frame yet: poll again.
            return false;
        }
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 20 && output.TryDequeue(out _))
        {
        }
    }
}
