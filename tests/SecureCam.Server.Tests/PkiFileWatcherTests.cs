using Microsoft.Extensions.Logging;
using SecureCam.Server.Tests.Support;
using SecureCam.Server.Tls;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The watcher that makes `securecam-pki revoke` bite within one interval, on a fake clock: it looks at the files once
/// per interval of the host's clock, and one piece that fails to reload never stops the others.
/// </summary>
public sealed class PkiFileWatcherTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Real time allowed for the watcher's loop to act on a tick it was given.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly ObservedFakeClock _clock = new(Start);
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public PkiFileWatcherTests() => _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs));

    [Fact]
    public async Task Nothing_is_reloaded_before_the_clock_has_moved_one_interval()
    {
        var files = new CountingReloadable(_clock);
        var tickets = new CountingAsyncReloadable(_clock);
        await using var watcher = await StartAsync([files], [tickets]);
        Assert.Equal(Start + PkiFileWatcher.Interval, _clock.LastTimer.Due);

        _clock.Advance(PkiFileWatcher.Interval - TimeSpan.FromTicks(1));
        Assert.Empty(files.Times);
        Assert.Empty(tickets.Times);

        _clock.Advance(TimeSpan.FromTicks(1));
        await Eventually.TrueAsync(() => files.Times.Count == 1 && tickets.Times.Count == 1, Deadline, () => Describe(files, tickets));
        DateTimeOffset[] expected = [Start + PkiFileWatcher.Interval];
        Assert.Equal(expected, files.Times);
        Assert.Equal(expected, tickets.Times);
    }

    [Fact]
    public async Task Every_piece_is_reloaded_once_per_interval()
    {
        var files = new CountingReloadable(_clock);
        var crl = new CountingReloadable(_clock);
        var tickets = new CountingAsyncReloadable(_clock);
        await using var watcher = await StartAsync([files, crl], [tickets]);

        for (var n = 1; n <= 3; n++)
        {
            // One tick at a time: the loop must have finished with a tick before the next is given, or the two merge.
            _clock.Advance(PkiFileWatcher.Interval);
            await Eventually.TrueAsync(() => files.Times.Count == n && crl.Times.Count == n && tickets.Times.Count == n, Deadline, () => Describe(files, crl, tickets));
        }

        DateTimeOffset[] expected = [Start + PkiFileWatcher.Interval, Start + (2 * PkiFileWatcher.Interval), Start + (3 * PkiFileWatcher.Interval)];
        Assert.Equal(expected, files.Times);
        Assert.Equal(expected, crl.Times);
        Assert.Equal(expected, tickets.Times);
    }

    [Fact]
    public async Task A_reload_that_throws_is_logged_and_the_others_still_reload_on_every_tick()
    {
        var broken = new ThrowingReloadable();
        var files = new CountingReloadable(_clock);
        var brokenTickets = new ThrowingAsyncReloadable();
        var tickets = new CountingAsyncReloadable(_clock);
        await using var watcher = await StartAsync([broken, files], [brokenTickets, tickets]);

        for (var n = 1; n <= 2; n++)
        {
            _clock.Advance(PkiFileWatcher.Interval);
            await Eventually.TrueAsync(() => files.Times.Count == n && tickets.Times.Count == n, Deadline, () => Describe(files, tickets) + "\n" + string.Join('\n', _logs.Lines));
        }

        Assert.Equal(2, broken.Calls);
        Assert.Equal(2, brokenTickets.Calls);
        var errors = _logs.Lines.Where(l => l.StartsWith("SecureCam.Server.Tls.PkiFileWatcher Error: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, errors.Count(l => l.EndsWith("reload of ThrowingReloadable failed, keeping the previous state: crl.pem is not a CRL", StringComparison.Ordinal)));
        Assert.Equal(2, errors.Count(l => l.EndsWith("reload of ThrowingAsyncReloadable failed, keeping the previous state: the enrollment port is taken", StringComparison.Ordinal)));
        Assert.Equal(4, errors.Count);
    }

    public void Dispose() => _loggerFactory.Dispose();

    private static string Describe(params IRecordsReloads[] pieces) =>
        string.Join("; ", pieces.Select(p => $"{p.GetType().Name}: {string.Join(", ", p.Times.Select(t => (t - Start).TotalMilliseconds + " ms"))}"));

    /// <summary>Starts a watcher over the pieces and waits until its timer exists on the fake clock.</summary>
    private async Task<RunningWatcher> StartAsync(IReloadable[] reloadables, IAsyncReloadable[] asyncReloadables)
    {
        var watcher = new PkiFileWatcher(reloadables, asyncReloadables, _clock, _loggerFactory.CreateLogger<PkiFileWatcher>());
        await watcher.StartAsync(CancellationToken.None);
        var running = new RunningWatcher(watcher);
        await Eventually.TrueAsync(() => _clock.LastTimer.Created > 0, Deadline, () => "the watcher made no timer on the clock it was given");
        return running;
    }

    private interface IRecordsReloads
    {
        IReadOnlyList<DateTimeOffset> Times { get; }
    }

    private sealed class RunningWatcher(PkiFileWatcher watcher) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await watcher.StopAsync(CancellationToken.None);
            watcher.Dispose();
        }
    }

    /// <summary>Records the clock's time at each reload.</summary>
    private sealed class CountingReloadable(TimeProvider clock) : IReloadable, IRecordsReloads
    {
        private readonly Lock _gate = new();
        private readonly List<DateTimeOffset> _times = [];

        public IReadOnlyList<DateTimeOffset> Times
        {
            get
            {
                lock (_gate)
                {
                    return [.. _times];
                }
            }
        }

        public void ReloadIfChanged()
        {
            lock (_gate)
            {
                _times.Add(clock.GetUtcNow());
            }
        }
    }

    private sealed class CountingAsyncReloadable(TimeProvider clock) : IAsyncReloadable, IRecordsReloads
    {
        private readonly CountingReloadable _inner = new(clock);

        public IReadOnlyList<DateTimeOffset> Times => _inner.Times;

        public async Task ReloadIfChangedAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            _inner.ReloadIfChanged();
        }
    }

    private sealed class ThrowingReloadable : IReloadable
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void ReloadIfChanged()
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidDataException("crl.pem is not a CRL");
        }
    }

    private sealed class ThrowingAsyncReloadable : IAsyncReloadable
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async Task ReloadIfChangedAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Yield();
            throw new IOException("the enrollment port is taken");
        }
    }
}
