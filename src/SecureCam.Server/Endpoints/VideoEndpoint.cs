using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Primitives;
using SecureCam.Camera;
using SecureCam.Server.Audit;
using SecureCam.Server.Http;
using SecureCam.Server.Indicator;
using SecureCam.Server.Authentication;
using SecureCam.Server.Streaming;

namespace SecureCam.Server.Endpoints;

/// <summary>
/// GET /video: the live MJPEG stream. Each viewer is sent the newest frame whenever its connection
/// has drained the previous one (µStreamer's model): a slow viewer gets fewer frames, never a queue,
/// and never slows anyone else down. The stream ends when its lease is cut (<see cref="ActiveStreams"/> re-checks the
/// certificate on the server's clock, frames or not).
/// </summary>
internal sealed class VideoEndpoint(FrameHub hub, ActiveStreams streams, ServedMeters served, AuditLog audit, BeingWatchedLight light)
{
    public async Task HandleAsync(HttpContext context)
    {
        var client = ClientIdentity.FromPrincipal(context.User);
        var remote = RemoteAddress.Of(context.Connection);
        var certificate = context.Connection.ClientCertificate!;
        using var lease = streams.TryOpen(client, certificate, context.RequestAborted);
        if (lease is null)
        {
            audit.StreamRefused(client, remote, "too many streams for this certificate");
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "5";
            return;
        }

        var response = context.Response;
        response.ContentType = MjpegWriter.ContentType;
        response.Headers.CacheControl = "no-cache, no-store, must-revalidate, private";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "0";

        // Proxies that buffer (nginx) would hold frames back.
        response.Headers["X-Accel-Buffering"] = new StringValues("no");

        using var viewer = hub.AddViewer();
        using var watched = light.Watch();
        var writer = new MjpegWriter(response.BodyWriter);
        var started = Stopwatch.GetTimestamp();
        long frames = 0, bytes = 0;
        var reason = "client left";
        audit.StreamStarted(client, remote, context.Request.Protocol);
        try
        {
            var token = lease.Token;
            await writer.WriteStartAsync(token).ConfigureAwait(false);
            long last = 0;
            while (true)
            {
                var frame = await hub.WaitForFrameAfterAsync(last, token).ConfigureAwait(false);
                var written = await writer.WriteFrameAsync(frame, token).ConfigureAwait(false);
                if (written < 0)
                {
                    break;
                }

                last = frame.Sequence;
                frames++;
                bytes += written;
                served.Frames.Add();
                served.Bytes.Add(written);
            }
        }
        catch (OperationCanceledException)
        {
            // Cut by the server (reason below), or the client went away.
        }
        catch (FrameSourceFailedException ex)
        {
            // The camera source gave up: end the stream rather than hold the viewer on a capture that stopped.
            reason = "camera failed: " + ex.Message;
        }
        catch (ConnectionResetException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            if (lease.CutReason is { } cut)
            {
                reason = cut;

                // Tear down the connection (HTTP/1.1) or the stream (HTTP/2): the viewer must see the cut.
                context.Abort();
            }
            else if (context.RequestAborted.IsCancellationRequested)
            {
                reason = "client left";
            }

            audit.StreamEnded(client, remote, frames, bytes, Stopwatch.GetElapsedTime(started), reason);
        }
    }
}
