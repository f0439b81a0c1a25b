using System.Globalization;
using System.Text;
using SecureCam.Pki;
using SecureCam.Server.Configuration;
using SecureCam.Server.Http;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Enrollment;

/// <summary>
/// What the enrollment listener answers. Under /enroll/TOKEN: the page, ca.crt (any number of times
/// while the link is open), and the identity as identity.p12 or profile.mobileconfig (once: taking it
/// uses the link up). An unknown and an expired token get the same 404; a used or withdrawn link 410 on
/// every URL; a source outside the allowed networks 403; an address with too many bad tokens 429.
/// </summary>
internal sealed class EnrollmentEndpoints(
    EnrollmentSettings settings,
    ServerSettings server,
    PkiStoreAccess store,
    LocalCaCertificate ca,
    EnrollmentAudit audit,
    [FromKeyedServices(EnrollmentServices.ClockKey)] TimeProvider clock)
{
    /// <summary>The page and its stylesheet only; no script, no images, no forms, no framing, no referrer (the token is in the URL).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string NotFound = EnrollmentPage.Message(
        "This link does not work",
        "It is mistyped or has expired. Ask the owner of the camera for a new one (securecam-pki enroll).");

    private readonly FailureLimiter _failures = new(settings.MaxFailuresPerMinute, clock);

    public void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.CacheControl = "no-store";
            headers["Referrer-Policy"] = "no-referrer";
            var address = context.Connection.RemoteIpAddress;
            if (!settings.Allows(address))
            {
                audit.Refused(RemoteAddress.Of(context.Connection), context.Request.Path, "source outside the allowed networks (Enrollment:AllowedSources)");
                await WriteAsync(context, StatusCodes.Status403Forbidden, EnrollmentPage.Message(
                    "Not from here", "Enrollment works only from the camera's local network. Connect the phone to the same Wi-Fi.")).ConfigureAwait(false);
                return;
            }

            if (_failures.BlockedFor(address!) is { } wait)
            {
                headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                audit.Refused(RemoteAddress.Of(context.Connection), context.Request.Path, "too many wrong or expired links");
                await WriteAsync(context, StatusCodes.Status429TooManyRequests, EnrollmentPage.Message(
                    "Too many tries", "Wait a minute, then open the link again.")).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        app.MapGet(EnrollmentPage.StylePath, () => Results.Text(EnrollmentPage.Style, "text/css; charset=utf-8"));
        app.MapGet("/enroll/{token}", PageAsync);
        app.MapGet("/enroll/{token}/ca.crt", CaAsync);
        app.MapGet("/enroll/{token}/identity.p12", (HttpContext context, string token) => TakeAsync(context, token, apple: false));
        app.MapGet("/enroll/{token}/profile.mobileconfig", (HttpContext context, string token) => TakeAsync(context, token, apple: true));
        app.MapFallback((HttpContext context) => WriteAsync(context, StatusCodes.Status404NotFound, NotFound));
    }

    private async Task PageAsync(HttpContext context, string token)
    {
        if (await OpenTicketAsync(context, token).ConfigureAwait(false) is not { } ticket)
        {
            return;
        }

        var platform = DevicePlatforms.FromQuery(context.Request.Query["for"]) ?? DevicePlatforms.FromUserAgent(context.Request.Headers.UserAgent);
        audit.PageOpened(ticket, RemoteAddress.Of(context.Connection), platform);
        var caCertificate = ca.Certificate;
        var page = EnrollmentPage.Steps(
            ticket.Name,
            token,
            platform,
            caCertificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false),
            Thumbprints.Sha256Fingerprint(caCertificate),
            ViewerUrl(context));
        await WriteAsync(context, StatusCodes.Status200OK, page).ConfigureAwait(false);
    }

    private async Task CaAsync(HttpContext context, string token)
    {
        if (await OpenTicketAsync(context, token).ConfigureAwait(false) is null)
        {
            return;
        }

        await SendFileAsync(context, "application/x-x509-ca-cert", "SecureCam-CA.crt", ca.Certificate.RawData).ConfigureAwait(false);
    }

    private async Task TakeAsync(HttpContext context, string token, bool apple)
    {
        if (await OpenTicketAsync(context, token).ConfigureAwait(false) is null)
        {
            return;
        }

        var remote = RemoteAddress.Of(context.Connection);
        var take = await store.Tickets.TakeAsync(token, clock.GetUtcNow(), remote, context.RequestAborted).ConfigureAwait(false);
        if (take.Pkcs12 is null)
        {
            // Lost a race with another download, or withdrawn between the check and the lock.
            await RefuseAsync(context, take.Ticket, take.State).ConfigureAwait(false);
            return;
        }

        var ticket = take.Ticket!;
        audit.IdentityTaken(ticket, remote, apple ? "mobileconfig" : "p12");
        if (apple)
        {
            var profile = MobileConfigProfile.Create(ca.Certificate, ticket.Name, take.Pkcs12, embeddedPassword: null);
            await SendFileAsync(context, "application/x-apple-aspen-config", ticket.Name + ".mobileconfig", Encoding.UTF8.GetBytes(profile)).ConfigureAwait(false);
        }
        else
        {
            await SendFileAsync(context, "application/x-pkcs12", ticket.Name + ".p12", take.Pkcs12).ConfigureAwait(false);
        }
    }

    /// <summary>The open ticket for this request's token; otherwise the refusal is written and null returned.</summary>
    private async Task<EnrollmentTicket?> OpenTicketAsync(HttpContext context, string token)
    {
        var ticket = store.Tickets.Find(token);
        var state = ticket is null ? (EnrollmentTicketState?)null : store.Tickets.StateOf(ticket, store.Store.ReadIndex(), clock.GetUtcNow());
        if (state == EnrollmentTicketState.Open)
        {
            return ticket;
        }

        await RefuseAsync(context, ticket, state).ConfigureAwait(false);
        return null;
    }

    private Task RefuseAsync(HttpContext context, EnrollmentTicket? ticket, EnrollmentTicketState? state)
    {
        var remote = RemoteAddress.Of(context.Connection);
        if (ticket is null || state is null or EnrollmentTicketState.Expired)
        {
            _failures.Fail(context.Connection.RemoteIpAddress!);
            audit.Refused(remote, context.Request.Path, "unknown or expired link");
            return WriteAsync(context, StatusCodes.Status404NotFound, NotFound);
        }

        var used = state == EnrollmentTicketState.Taken;
        audit.Refused(remote, context.Request.Path, used ? $"link for '{ticket.Name}' already used" : $"link for '{ticket.Name}' withdrawn");
        return WriteAsync(context, StatusCodes.Status410Gone, used
            ? EnrollmentPage.Message("This link was already used", "Its identity was downloaded once and is gone from the camera. If that was not you, tell the owner: they should revoke it.")
            : EnrollmentPage.Message("This link was withdrawn", "The owner revoked or replaced this identity. Ask for a new link."));
    }

    private string ViewerUrl(HttpContext context)
    {
        var port = server.Listen.Count > 0 ? server.Listen[0].Port : 8443;
        var host = context.Request.Host.Host;
        return $"https://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{port.ToString(CultureInfo.InvariantCulture)}/";
    }

    private static Task WriteAsync(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static Task SendFileAsync(HttpContext context, string contentType, string fileName, byte[] content)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        context.Response.ContentLength = content.Length;
        return context.Response.Body.WriteAsync(content, context.RequestAborted).AsTask();
    }
}

/// <summary>The server's PKI store and its tickets, made once from Server:PkiDirectory.</summary>
internal sealed class PkiStoreAccess(ServerSettings server)
{
    public PkiStore Store { get; } = PkiStore.Open(server.PkiDirectory);

    public EnrollmentTickets Tickets => new(Store);
}
