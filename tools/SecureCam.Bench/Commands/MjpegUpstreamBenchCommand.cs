using System.CommandLine;
using System.Net;
using SecureCam.Bench.Upstream;
using SecureCam.Camera;

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
        var camera = new Option<string?>("--camera") { Description = "a SecureCam camera source (synthetic | pipe:\"CMD\" | v4l2:/dev/videoN), as `securecam serve --camera`" };
        var jpegs = new Option<string[]>("--jpeg") { Description = "instead of --camera: JPEG file(s) served in turn as the frames", AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
        var width = new Option<int>("--width") { Description = "camera width (with --camera)", DefaultValueFactory = _ => 1280 };
        var height = new Option<int>("--height") { Description = "camera height (with --camera)", DefaultValueFactory = _ => 720 };
        var fps = new Option<int>("--fps") { Description = "frames per second", DefaultValueFactory = _ => 30 };
        var verbose = new Option<bool>("--verbose") { Description = "print the detail of errors" };

        var command = new Command("mjpeg-upstream", "Serve an MJPEG stream over plain HTTP on loopback (the upstream nginx proxies in compare.sh).")
        {
            listen, camera, jpegs, width, height, fps, verbose,
        };
        command.SetAction((parse, ct) => CommandGuard.RunAsync("mjpeg-upstream", parse.GetValue(verbose), async () =>
        {
            var listenText = parse.GetValue(listen)!;
            if (!IPEndPoint.TryParse(listenText, out var endPoint) || !IPAddress.IsLoopback(endPoint.Address))
            {
                throw new BenchInputException($"--listen {listenText}: give a loopback address:port (this server has no TLS and no authentication)");
            }

            await using var source = await CreateSourceAsync(parse.GetValue(camera), parse.GetValue(jpegs) ?? [], parse.GetValue(width), parse.GetValue(height), parse.GetValue(fps), ct).ConfigureAwait(false);
            await using var server = new MjpegUpstreamServer(endPoint, source);
            server.Start();
            Console.WriteLine($"mjpeg-upstream: serving http://{server.LocalEndPoint}/video ({parse.GetValue(camera) ?? "JPEG files"}, {parse.GetValue(fps)} fps); Ctrl+C stops");
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

    private static async Task<IUpstreamFrames> CreateSourceAsync(string? camera, string[] files, int width, int height, int fps, CancellationToken cancellationToken)
    {
        if ((camera is null) == (files.Length == 0))
        {
            throw new BenchInputException("give either --camera SPEC or --jpeg FILE…");
        }

        if (camera is not null)
        {
            var options = new CameraOptions { Source = camera, Width = width, Height = height, Fps = fps };
            try
            {
                return new FrameHubFrames(options);
            }
            catch (ArgumentException e)
            {
                throw new BenchInputException("--camera: " + e.Message);
            }
        }

        var frames = new List<byte[]>();
        foreach (var file in files)
        {
            var bytes = File.Exists(file) ? await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false) : throw new BenchInputException($"--jpeg {file}: no such file");
            frames.Add(bytes.Length > 2 && bytes[0] == 0xFF && bytes[1] == 0xD8 ? bytes : throw new BenchInputException($"--jpeg {file}: not a JPEG"));
        }

        return new PacedJpegFrames(frames, PositiveOption.Require(fps, "--fps", 1000));
    }
}
