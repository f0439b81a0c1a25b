using System.CommandLine;
using System.Net;
using SecureCam.Bench.Upstream;

namespace SecureCam.Bench.Commands;

/// <summary>
/// `securecam-bench mjpeg-upstream`: a plain-HTTP MJPEG streamer on loopback for nginx to proxy in
/// tools/bench/compare.sh (SecureCam's own plain-HTTP listener only redirects to HTTPS).
/// </summary>
internal static class MjpegUpstreamBenchCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "loopback address:port to serve http://…/video on", DefaultValueFactory = _ => "127.0.0.1:8081" };
        var jpegs = new Option<string[]>("--jpeg") { Description = "JPEG file(s) served in turn as the frames", Required = true, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.OneOrMore };
        var fps = new Option<double>("--fps") { Description = "frames per second", DefaultValueFactory = _ => 30 };
        var verbose = new Option<bool>("--verbose") { Description = "print the detail of errors" };

        var command = new Command("mjpeg-upstream", "Serve an MJPEG stream over plain HTTP on loopback (the upstream nginx proxies in compare.sh).")
        {
            listen, jpegs, fps, verbose,
        };
        command.SetAction((parse, ct) => CommandGuard.RunAsync("mjpeg-upstream", parse.GetValue(verbose), async () =>
        {
            var listenText = parse.GetValue(listen)!;
            if (!IPEndPoint.TryParse(listenText, out var endPoint) || !IPAddress.IsLoopback(endPoint.Address))
            {
                throw new BenchInputException($"--listen {listenText}: give a loopback address:port (this server has no TLS and no authentication)");
            }

            var files = parse.GetValue(jpegs)!;
            var frames = new List<byte[]>();
            foreach (var file in files)
            {
                var bytes = File.Exists(file) ? await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false) : throw new BenchInputException($"--jpeg {file}: no such file");
                frames.Add(bytes.Length > 2 && bytes[0] == 0xFF && bytes[1] == 0xD8 ? bytes : throw new BenchInputException($"--jpeg {file}: not a JPEG"));
            }

            await using var source = new PacedJpegFrames(frames, PositiveOption.Require(parse.GetValue(fps), "--fps", 1000));
            await using var server = new MjpegUpstreamServer(endPoint, source);
            server.Start();
            Console.WriteLine($"mjpeg-upstream: serving http://{server.LocalEndPoint}/video ({frames.Count} frame(s), {parse.GetValue(fps)} fps); Ctrl+C stops");
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            Console.WriteLine($"mjpeg-upstream: stopped after {server.ClientsServed} client(s)");
            return 0;
        }));
        return command;
    }
}
