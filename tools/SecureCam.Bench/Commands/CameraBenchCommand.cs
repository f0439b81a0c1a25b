using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SecureCam.Camera;
using SecureCam.Camera.Synthetic;

namespace SecureCam.Bench.Commands;

/// <summary>
/// `securecam-bench camera`: runs the synthetic camera for a while and reports the time to the
/// first frame, the process CPU time per frame in steady state (after a warm-up, so start-up and
/// JIT are not counted), the share of one core that is, the frame rate reached and frame sizes.
/// </summary>
internal static class CameraBenchCommand
{
    public static Command Create()
    {
        var width = new Option<int>("--width") { Description = "Frame width.", DefaultValueFactory = _ => 1280 };
        var height = new Option<int>("--height") { Description = "Frame height.", DefaultValueFactory = _ => 720 };
        var fps = new Option<int>("--fps") { Description = "Frames per second.", DefaultValueFactory = _ => 30 };
        var quality = new Option<int>("--quality") { Description = "JPEG quality 1-100.", DefaultValueFactory = _ => 75 };
        var seconds = new Option<int>("--seconds") { Description = "Measured steady-state duration (after the warm-up).", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds run before measuring.", DefaultValueFactory = _ => 3 };
        var command = new Command("camera", "Synthetic camera: first-frame time, CPU per frame, share of one core, frame sizes.")
        {
            width, height, fps, quality, seconds, warmup,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var settings = new SyntheticPatternSettings(pr.GetValue(width), pr.GetValue(height), pr.GetValue(fps), pr.GetValue(quality));
            int measured = pr.GetValue(seconds), warm = pr.GetValue(warmup);
            if (measured is < 1 or > 600 || warm is < 0 or > 60)
            {
                Console.Error.WriteLine("securecam-bench camera: --seconds must be 1..600 and --warmup 0..60.");
                return 2;
            }

            SyntheticFrameSource source;
            try
            {
                source = new SyntheticFrameSource(settings);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine("securecam-bench camera: " + ex.Message);
                return 2;
            }

            var sink = new MeasuringSink();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var run = source.RunAsync(sink, stop.Token);

            await sink.FirstFrame.WaitAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(warm), ct).ConfigureAwait(false);
            var (cpuStart, wallStart, framesStart) = Sample(sink);
            sink.StartMeasuring();
            await Task.Delay(TimeSpan.FromSeconds(measured), ct).ConfigureAwait(false);
            var (cpuEnd, wallEnd, framesEnd) = Sample(sink);
            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);

            long frames = framesEnd - framesStart;
            double cpuMs = (cpuEnd - cpuStart).TotalMilliseconds;
            double wallSeconds = (wallEnd - wallStart).TotalSeconds;
            var (min, avg, max) = sink.Sizes();
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"synthetic camera {settings.Width}x{settings.Height} at {settings.Fps} fps, quality {settings.Quality}, {Environment.ProcessorCount} cores"));
            Console.WriteLine(string.Create(inv, $"first frame:       {sink.FirstFrameMilliseconds:0} ms after start (includes painting and encoding the background once)"));
            Console.WriteLine(string.Create(inv, $"measured:          {frames} frames in {wallSeconds:0.0} s = {frames / wallSeconds:0.0} fps (after {warm} s warm-up)"));
            Console.WriteLine(string.Create(inv, $"CPU per frame:     {(frames == 0 ? 0 : cpuMs / frames):0.00} ms (process CPU time, all threads, GC included)"));
            Console.WriteLine(string.Create(inv, $"share of one core: {cpuMs / 10 / wallSeconds:0.0} %"));
            Console.WriteLine(string.Create(inv, $"frame size:        min {min / 1024.0:0.0} KB, mean {avg / 1024.0:0.0} KB, max {max / 1024.0:0.0} KB"));
            return 0;
        });
        return command;
    }

    private static (TimeSpan Cpu, DateTime Wall, long Frames) Sample(MeasuringSink sink)
    {
        using var self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime, DateTime.UtcNow, sink.Frames);
    }

    private sealed class MeasuringSink : IFrameSink
    {
        private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _frames;
        private bool _measuring;
        private long _sizeSum;
        private long _sizeCount;
        private int _min = int.MaxValue;
        private int _max;

        public Task FirstFrame => _first.Task;

        public double FirstFrameMilliseconds { get; private set; }

        public long Frames => Interlocked.Read(ref _frames);

        public void StartMeasuring() => Volatile.Write(ref _measuring, true);

        public (int Min, double Mean, int Max) Sizes()
        {
            lock (_first)
            {
                return _sizeCount == 0 ? (0, 0, 0) : (_min, (double)_sizeSum / _sizeCount, _max);
            }
        }

        public void OnFrame(byte[] jpeg, int width, int height, DateTimeOffset capturedAt)
        {
            if (Interlocked.Increment(ref _frames) == 1)
            {
                FirstFrameMilliseconds = _sinceStart.Elapsed.TotalMilliseconds;
                _first.TrySetResult();
            }

            if (Volatile.Read(ref _measuring))
            {
                lock (_first)
                {
                    _sizeSum += jpeg.Length;
                    _sizeCount++;
                    _min = Math.Min(_min, jpeg.Length);
                    _max = Math.Max(_max, jpeg.Length);
                }
            }
        }

        public void OnFrameSkipped(string reason)
        {
        }

        public void OnBytesDiscarded(long count)
        {
        }

        public void OnRestart(string reason)
        {
        }

        public void OnError(string message)
        {
        }
    }
}
