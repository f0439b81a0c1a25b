using System.CommandLine;
using SecureCam.Bench.Output;
using SecureCam.Bench.Workloads;

namespace SecureCam.Bench.Commands;

/// <summary>
/// `securecam-bench viewers`: N concurrent mutual-TLS MJPEG viewers of `/video`; per-viewer fps, MB/s,
/// frame delay (X-Capture-Time against arrival), frames missed (X-Frame-Sequence gaps), and the
/// server's CPU and RSS from /proc.
/// </summary>
internal static class ViewersBenchCommand
{
    public static Command Create()
    {
        var client = new ClientOptions();
        var viewers = new Option<int>("--viewers") { Description = "concurrent viewers", DefaultValueFactory = _ => 10 };
        var seconds = new Option<double>("--seconds") { Description = "length of the measured window", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "seconds between the last viewer connecting and the window", DefaultValueFactory = _ => 2 };
        var fps = new Option<int>("--expected-fps") { Description = "the stream's frame rate (sizes buffers only)", DefaultValueFactory = _ => 30 };
        var connectConcurrency = new Option<int>("--connect-concurrency") { Description = "handshakes in flight while viewers connect", DefaultValueFactory = _ => 16 };

        var command = new Command("viewers", "N concurrent mutual-TLS MJPEG viewers: fps, delay, missed frames, server CPU and RSS.");
        client.AddTo(command);
        command.Options.Add(viewers);
        command.Options.Add(seconds);
        command.Options.Add(warmup);
        command.Options.Add(fps);
        command.Options.Add(connectConcurrency);
        command.SetAction((parse, ct) => CommandGuard.RunAsync("viewers", parse.GetValue(client.Verbose), async () =>
        {
            var workload = new ViewersWorkload(client.ReadConnectors(parse))
            {
                Viewers = PositiveOption.Require(parse.GetValue(viewers), "--viewers", 10_000),
                Duration = TimeSpan.FromSeconds(PositiveOption.Require(parse.GetValue(seconds), "--seconds", 3600)),
                Warmup = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(warmup))),
                ExpectedFps = PositiveOption.Require(parse.GetValue(fps), "--expected-fps", 1000),
                ConnectConcurrency = PositiveOption.Require(parse.GetValue(connectConcurrency), "--connect-concurrency", 1000),
                ConnectTimeout = TimeSpan.FromSeconds(30),
            };
            await using var samplers = client.StartSamplers(parse);
            var result = await workload.RunAsync(samplers, ct).ConfigureAwait(false);
            Print(result);
            await ResultWriter.WriteAsync(result, parse.GetValue(client.Json), ct).ConfigureAwait(false);
            return result.FramesDelivered > 0 ? 0 : 1;
        }));
        return command;
    }

    private static void Print(ViewersResult r)
    {
        Console.WriteLine($"viewers {r.Url}: {r.Connected}/{r.Viewers} connected, window {Format.N(r.Seconds)} s");
        Console.WriteLine($"  viewer fps  min {Format.N(r.ViewerFps.Min)}, median {Format.N(r.ViewerFps.P50)}, max {Format.N(r.ViewerFps.Max)}; total {Format.N(r.TotalFramesPerSecond)} frames/s");
        Console.WriteLine($"  throughput  {Format.N(r.MegabytesPerSecond)} MB/s, mean frame {Format.N(r.MeanFrameKb)} KiB");
        Console.WriteLine($"  frame delay {Format.Ms(r.DelayMs)}");
        Console.WriteLine($"  missed      {r.FramesMissed} frames ({Format.N(r.MissedPercent, 2)} %) of {r.FramesDelivered + r.FramesMissed}; not JPEG {r.PartsNotJpeg}; without X-Capture-Time {r.PartsWithoutCaptureTime}");
        Console.WriteLine($"  client CPU  {Format.N(r.ClientCpuPercent)} % of one core; errors {r.Errors}");
        Console.WriteLine($"  TLS         {(r.NegotiatedTls.Count == 0 ? "no handshake completed" : string.Join(", ", r.NegotiatedTls.Select(p => $"{p.Key} ×{p.Value}")))}");
        Console.WriteLine("  " + Format.Server(r.Server, r.ServerProcesses, "delivered frame"));
        Format.Errors(r.TopErrors, Console.Out);
    }
}
