namespace SecureCam.Server.Http;

/// <summary>
/// Headers on every response. The CSP allows only our own script, style and images (plus blob: for
/// the snapshot preview), no inline code, no framing; nosniff keeps an image from being run as script.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>One year: the browser refuses plain HTTP for this host from then on.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        if (context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }

        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
    }
}
