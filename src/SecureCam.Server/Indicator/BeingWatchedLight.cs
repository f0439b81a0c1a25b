namespace SecureCam.Server.Indicator;

/// <summary>
/// The "being watched" light, like a laptop's webcam light: lit while any /video stream is open, a brief
/// blink for a snapshot, so people in the room know. Drives an LED on a GPIO line and/or the board's own LED.
/// </summary>
/// <remarks>
/// Missing hardware or permissions at start cost one warning line per output and leave that output out; a
/// later write that fails drops the output with one error line. The camera never stops for the light.
/// Off once the host stops, whatever streams are still winding down. Safe for concurrent use.
/// </remarks>
internal sealed partial class BeingWatchedLight(IndicatorSettings settings, IndicatorHardware hardware, TimeProvider time, ILogger<BeingWatchedLight> logger)
    : IHostedService, IDisposable
{
    /// <summary>A snapshot's blink: long enough for the eye to catch across a room, short enough not to read as a stream.</summary>
    public static readonly TimeSpan BlinkDuration = TimeSpan.FromMilliseconds(300);

    private readonly Lock _gate = new();
    private readonly List<Output> _outputs = [];
    private int _streams;
    private bool _blinking;
    private bool _lit;
    private bool _started;
    private bool _stopped;
    private ITimer? _blinkTimer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_started)
            {
                return Task.CompletedTask;
            }

            _started = true;
            if (settings.GpioPin is { } pin)
            {
                Open($"{IndicatorSettings.Section}:{nameof(IndicatorSettings.GpioPin)}", "gpio", $"GPIO {pin}", () => hardware.OpenGpio(pin));
            }

            if (settings.BoardLed is { } led)
            {
                Open($"{IndicatorSettings.Section}:{nameof(IndicatorSettings.BoardLed)}", "board-led", Path.Combine(hardware.LedsDirectory, led), () => hardware.OpenBoardLed(led));
            }

            Update();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Marks a /video stream open until the result is disposed.</summary>
    public IDisposable Watch()
    {
        lock (_gate)
        {
            _streams++;
            Update();
        }

        return new Watcher(this);
    }

    /// <summary>A snapshot was taken: the light flips for <see cref="BlinkDuration"/> (on when idle, off while streaming).</summary>
    public void Blink()
    {
        lock (_gate)
        {
            if (_stopped || !_outputs.Exists(o => o.Device is not null))
            {
                return;
            }

            _blinking = true;
            _blinkTimer ??= time.CreateTimer(_ => EndBlink(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _blinkTimer.Change(BlinkDuration, Timeout.InfiniteTimeSpan);
            Update();
        }
    }

    public IndicatorReport Report()
    {
        lock (_gate)
        {
            return new IndicatorReport(
                settings.Enabled,
                _lit && _outputs.Exists(o => o.Device is not null),
                _streams,
                [.. _outputs.Select(o => new IndicatorOutputReport(o.Kind, o.Target, o.Device is not null, o.Problem))]);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            _blinkTimer?.Dispose();
            Update();
            foreach (var output in _outputs)
            {
                Close(output);
            }
        }
    }

    private void Open(string key, string kind, string target, Func<ILightOutput> open)
    {
        try
        {
            _outputs.Add(new Output(kind, target, open()));
        }
        catch (Exception ex) when (IsHardwareProblem(ex))
        {
            // libgpiod's own reason (permission denied, line busy) is the inner exception.
            var problem = Pki.ErrorText.FirstLine(ex.InnerException is { } inner ? $"{ex.Message}: {inner.Message}" : ex.Message);
            _outputs.Add(new Output(kind, target, null) { Problem = problem });
            LogUnavailable(logger, key, target, problem);
        }
    }

    /// <summary>Writes the state the light should show now; only changes reach the hardware.</summary>
    private void Update()
    {
        // Blinking inverts whatever the streams say: a flash when idle, a dip while watched.
        var lit = !_stopped && (_streams > 0 ^ _blinking);
        if (lit == _lit)
        {
            return;
        }

        _lit = lit;
        foreach (var output in _outputs)
        {
            if (output.Device is not { } device)
            {
                continue;
            }

            try
            {
                device.Set(lit);
            }
            catch (Exception ex) when (IsHardwareProblem(ex))
            {
                output.Problem = Pki.ErrorText.FirstLine(ex.Message);
                LogWriteFailed(logger, output.Target, output.Problem);
                Close(output);
            }
        }
    }

    private void EndBlink()
    {
        lock (_gate)
        {
            _blinking = false;
            Update();
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            _streams--;
            Update();
        }
    }

    private void Close(Output output)
    {
        var device = output.Device;
        output.Device = null;
        try
        {
            device?.Dispose();
        }
        catch (Exception ex) when (IsHardwareProblem(ex))
        {
            // An output that already failed has had its one line.
            if (output.Problem is null)
            {
                output.Problem = Pki.ErrorText.FirstLine(ex.Message);
                LogWriteFailed(logger, output.Target, output.Problem);
            }
        }
    }

    /// <summary>
    /// What a missing or forbidden lamp throws: GpiodException is an IOException (no GPIO chip, line busy),
    /// no libgpiod installed, a line the chip does not have, no write access to sysfs.
    /// </summary>
    private static bool IsHardwareProblem(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or InvalidOperationException
            or ArgumentException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException;

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "{Key}: {Target} unavailable, the being-watched light stays dark there: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string key, string target, string problem);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Error, Message = "being-watched light: {Target} failed and is no longer driven: {Problem}")]
    private static partial void LogWriteFailed(ILogger logger, string target, string problem);

    private sealed class Output(string kind, string target, ILightOutput? device)
    {
        public string Kind { get; } = kind;

        public string Target { get; } = target;

        public ILightOutput? Device { get; set; } = device;

        public string? Problem { get; set; }
    }

    private sealed class Watcher(BeingWatchedLight light) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                light.Release();
            }
        }
    }
}
