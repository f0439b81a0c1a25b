using System.Globalization;
using System.Net;
using System.Reflection;
using SecureCam.Server.Authentication;

namespace SecureCam.Server.Endpoints;

/// <summary>
/// The viewer page (/, /viewer.js, /viewer.css), embedded in the assembly so the server is one file
/// to deploy. The viewer's own name and expiry are put into the HTML on the server (HTML-encoded), so
/// the page needs no inline script and the CSP can forbid it.
/// </summary>
internal sealed class ViewerPage
{
    private readonly string _template = ReadResource("index.html");
    private readonly byte[] _script = System.Text.Encoding.UTF8.GetBytes(ReadResource("viewer.js"));
    private readonly byte[] _style = System.Text.Encoding.UTF8.GetBytes(ReadResource("viewer.css"));

    public Task IndexAsync(HttpContext context)
    {
        var you = ClientIdentity.FromPrincipal(context.User);
        var html = _template
            .Replace("{{NAME}}", WebUtility.HtmlEncode(you.Name), StringComparison.Ordinal)
            .Replace("{{ROLE}}", WebUtility.HtmlEncode(you.RoleName), StringComparison.Ordinal)
            .Replace("{{NOTAFTER_ISO}}", you.NotAfter.ToString("O", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{NOTAFTER}}", you.NotAfter.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, private";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    public Task ScriptAsync(HttpContext context) => SendAsync(context, "text/javascript; charset=utf-8", _script);

    public Task StyleAsync(HttpContext context) => SendAsync(context, "text/css; charset=utf-8", _style);

    private static async Task SendAsync(HttpContext context, string contentType, byte[] body)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        context.Response.Headers.CacheControl = "no-cache, private";
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static string ReadResource(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("SecureCam.Server.ViewerAssets." + name)
            ?? throw new InvalidOperationException($"embedded resource ViewerAssets/{name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
