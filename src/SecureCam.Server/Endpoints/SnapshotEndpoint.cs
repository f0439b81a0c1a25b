using System.Globalization;
using SecureCam.Camera;
using SecureCam.Server.Configuration;
using SecureCam.Server.Indicator;

namespace SecureCam.Server.Endpoints;

/// <summary>GET /snapshot: one JPEG (the newest frame if fresh, else the next one, starting the camera on demand).</summary>
internal sealed class SnapshotEndpoint(FrameHub hub, ServerSettings settings, BeingWatchedLight light)
{
    public async Task HandleAsync(HttpContext context)
    {
        Frame frame;
        try
        {
            frame = await hub.GetSnapshotAsync(settings.SnapshotTimeout, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or FrameSourceFailedException)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "2";
            await context.Response.WriteAsync(ex.Message + "\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        light.Blink();
        var response = context.Response;
        response.ContentType = "image/jpeg";
        response.ContentLength = frame.Jpeg.Length;
        response.Headers.CacheControl = "no-store, private";
        response.Headers["X-Capture-Time"] = frame.CapturedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Frame-Sequence"] = frame.Sequence.ToString(CultureInfo.InvariantCulture);
        response.Headers.ContentDisposition = $"inline; filename=\"snapshot-{frame.CapturedAt.UtcDateTime:yyyyMMdd-HHmmss}.jpg\"";
        await response.Body.WriteAsync(frame.Jpeg, context.RequestAborted).ConfigureAwait(false);
    }
}
