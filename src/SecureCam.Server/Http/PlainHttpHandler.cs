using System.Text.RegularExpressions;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Http;

/// <summary>
/// Everything the optional plain-HTTP listener does: answer /.well-known/acme-challenge/{token} from the
/// registered <see cref="IAcmeChallengeResponder"/> (404 without one) and redirect anything else to
/// HTTPS. It never serves camera data, and never reaches the authenticated endpoints.
/// </summary>
internal sealed partial class PlainHttpHandler(ServerSettings settings, IEnumerable<IAcmeChallengeResponder> responders)
{
    private const string ChallengePrefix = "/.well-known/acme-challenge/";
    private readonly IAcmeChallengeResponder? _responder = responders.LastOrDefault();
    private readonly int _httpsPort = settings.Listen[0].Port;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith(ChallengePrefix, StringComparison.Ordinal))
        {
            var token = path[ChallengePrefix.Length..];
            var answer = _responder is not null && TokenPattern().IsMatch(token)
                ? await _responder.GetKeyAuthorizationAsync(token, context.RequestAborted).ConfigureAwait(false)
                : null;
            if (answer is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/octet-stream";
            await context.Response.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // Only a plain host name or address goes into the Location header: no header injection.
        var host = context.Request.Host.Host;
        if (string.IsNullOrEmpty(host) || !HostPattern().IsMatch(host))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }

        var port = _httpsPort == 443 ? string.Empty : ":" + _httpsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
        context.Response.Headers.Location = $"https://{host}{port}{context.Request.Path.ToUriComponent()}{context.Request.QueryString.ToUriComponent()}";
    }

    /// <summary>ACME tokens are base64url (RFC 8555 §8.3).</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:.]+|[A-Za-z0-9.-]{1,253})$")]
    private static partial Regex HostPattern();
}
