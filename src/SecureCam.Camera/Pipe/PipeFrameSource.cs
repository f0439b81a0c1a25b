using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Camera.Jpeg;

namespace SecureCam.Camera.Pipe;

/// <summary>
/// Runs a command (through /bin/sh -c) that writes concatenated JPEGs to stdout — `rpicam-vid -t 0
/// --codec mjpeg -o -`, `ffmpeg … -f mjpeg -` — and splits them into frames. When the command exits
/// or stops delivering frames it is killed (with its children) and started again after a backoff
/// that doubles up to a cap and resets once the command ran well. Its stderr goes to the log.
/// </summary>
public sealed class PipeFrameSource : IFrameSource
{
    // A command that produced frames for this long before failing was healthy: restart it quickly.
    private static readonly TimeSpan HealthyRun = TimeSpan.FromSeconds(10);

    private readonly string _command;
    private readonly PipeFrameSourceSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private int _processId;

    public PipeFrameSource(string command, PipeFrameSourceSettings settings, ILogger<PipeFrameSource>? logger = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(settings);
        _command = command;
        _settings = settings;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public string Kind => "pipe";

    /// <summary>The command with any credentials in it masked: it is shown in status and logs.</summary>
    public string Description => $"pipe: {CredentialRedaction.Redact(_command)}";

    /// <summary>Process id of the running shell (the command itself when it starts with `exec`), or null.</summary>
    public int? CurrentProcessId
    {
        get
        {
            var id = Volatile.Read(ref _processId);
            return id == 0 ? null : id;
        }
    }

    public async Task RunAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var restarts = SourceRestarts.Create<RunOutcome>(
            _settings.InitialBackoff,
            _settings.MaxBackoff,
            _time,
            ranWell: outcome => outcome.RanWell,
            onRestart: (outcome, wait) =>
            {
                sink.OnRestart(outcome.Reason);
                _logger.LogWarning("Camera command {Reason}; restarting in {Seconds:0.##} s", outcome.Reason, wait.TotalSeconds);
            });
        try
        {
            await restarts.ExecuteAsync(async token => await RunOnceAsync(sink, token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the hub, while running or while waiting to restart.
        }
    }

    private async Task<RunOutcome> RunOnceAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        long frames = 0;
        var splitter = new JpegStreamSplitter(
            _settings.MaxFrameBytes,
            (jpeg, info) =>
            {
                frames++;
                sink.OnFrame(jpeg, info.Width, info.Height, _time.GetUtcNow());
            },
            sink.OnFrameSkipped,
            sink.OnBytesDiscarded);

        using var process = new Process { StartInfo = CreateStartInfo() };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new RunOutcome($"could not start /bin/sh: {ex.Message}", RanWell: false);
        }

        var started = _time.GetTimestamp();
        Volatile.Write(ref _processId, process.Id);
        process.StandardInput.Close();
        var lastStderr = new LastLine();
        var stderrTask = LogStandardErrorAsync(process, lastStderr);
        string reason;
        try
        {
            reason = await PumpAsync(process.StandardOutput.BaseStream, splitter, () => frames, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _processId, 0);
            await StopAsync(process).ConfigureAwait(false);
            await stderrTask.ConfigureAwait(false);
        }

        splitter.Reset();
        if (reason.Length == 0)
        {
            reason = $"exited with code {process.ExitCode}";
        }

        var detail = lastStderr.Value;
        return new RunOutcome(detail is null ? reason : $"{reason} (stderr: {detail})", frames > 0 && _time.GetElapsedTime(started) >= HealthyRun);
    }

    /// <summary>Reads stdout into the splitter until end of file, a stall, or cancellation; returns why it stopped ("" for end of file).</summary>
    private async Task<string> PumpAsync(Stream stdout, JpegStreamSplitter splitter, Func<long> frames, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_settings.StallTimeout);
        long framesSeen = 0;
        try
        {
            while (true)
            {
                int read = await stdout.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return string.Empty;
                }

                splitter.Push(buffer.AsSpan(0, read));
                if (frames() != framesSeen)
                {
                    // Only frames prove the command works: garbage alone does not hold off the stall timer.
                    framesSeen = frames();
                    stall.CancelAfter(_settings.StallTimeout);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"delivered no frame for {_settings.StallTimeout.TotalSeconds:0.#} s";
        }
        catch (IOException ex)
        {
            return $"stdout failed: {ex.Message}";
        }
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stuck in uninterruptible sleep; nothing more can be done from here.
        }
    }

    private async Task LogStandardErrorAsync(Process process, LastLine last)
    {
        try
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var trimmed = CredentialRedaction.Redact(line.Length > 400 ? line[..400] + "…" : line)!;
                last.Value = trimmed;
                _logger.LogInformation("camera command: {Line}", trimmed);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process is gone; its stderr with it.
        }
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(_command);
        return info;
    }

    /// <summary>Why a run of the command ended, and whether it had worked long enough to restart it quickly.</summary>
    private sealed record RunOutcome(string Reason, bool RanWell);

    private sealed class LastLine
    {
        private string? _value;

        public string? Value
        {
            get => Volatile.Read(ref _value);
            set => Volatile.Write(ref _value, value);
        }
    }
}
