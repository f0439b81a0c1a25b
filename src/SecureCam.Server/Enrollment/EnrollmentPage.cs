using System.Text;
using static System.Net.WebUtility;

namespace SecureCam.Server.Enrollment;

/// <summary>
/// The phone-sized pages of the enrollment listener: the steps for one platform, with links to the
/// other two, and the short answers for a used, unknown or refused link. No script at all (the CSP
/// forbids it); one stylesheet from the same origin.
/// </summary>
internal static class EnrollmentPage
{
    public const string StylePath = "/enroll/enroll.css";

    public const string Style = """
        :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.45; }
        body { margin: 0 auto; max-width: 34rem; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: .2rem 0 1rem; }
        ol { padding-left: 1.3rem; } li { margin: .7rem 0; }
        .button { display: block; text-align: center; padding: .9rem; margin: .5rem 0; border-radius: .6rem;
                  background: #0a6cff; color: #fff; text-decoration: none; font-weight: 600; font-size: 1.05rem; }
        .check { border: 2px solid #e0a000; border-radius: .6rem; padding: .6rem .8rem; margin: 1rem 0; }
        code, .fingerprint { font-family: ui-monospace, monospace; word-break: break-all; }
        .fingerprint { font-size: .95rem; }
        .path { font-weight: 600; }
        nav { margin-top: 2rem; font-size: .95rem; } nav a { margin-right: 1rem; }
        """;

    /// <summary>The steps page for one platform.</summary>
    public static string Steps(string name, string token, DevicePlatform platform, string caName, string fingerprint, string viewerUrl)
    {
        var base_ = $"/enroll/{token}";
        var body = new StringBuilder();
        body.Append($"<h1>Add this device to SecureCam as “{HtmlEncode(name)}”</h1>");
        body.Append("<div class=\"check\"><p><strong>First, compare:</strong> the owner’s screen shows the CA fingerprint. ")
            .Append("It must be exactly this one; if it is not, stop and tell the owner.</p>")
            .Append($"<p class=\"fingerprint\">{HtmlEncode(fingerprint)}</p></div>");
        body.Append("<p>You will need the <strong>.p12 password</strong> shown on the owner’s screen. ")
            .Append("The download of your identity works <strong>once</strong>, within the next minutes.</p>");

        switch (platform)
        {
            case DevicePlatform.Apple:
                body.Append("<ol>")
                    .Append($"<li><a class=\"button\" href=\"{base_}/profile.mobileconfig\">Download the profile</a>Use Safari. When asked, tap <strong>Allow</strong>.</li>")
                    .Append("<li>Open <span class=\"path\">Settings</span> and tap <span class=\"path\">Profile Downloaded</span> at the top ")
                    .Append("(or <span class=\"path\">Settings › General › VPN &amp; Device Management</span>). Tap <strong>Install</strong>, enter the phone’s passcode, ")
                    .Append("then the .p12 password from the owner’s screen. “Not Verified” is expected: the owner made it.</li>")
                    .Append($"<li>Turn on trust: <span class=\"path\">Settings › General › About › Certificate Trust Settings</span>, switch on “{HtmlEncode(caName)}”.</li>")
                    .Append($"<li>Open <a href=\"{HtmlEncode(viewerUrl)}\">{HtmlEncode(viewerUrl)}</a> in Safari and choose the SecureCam certificate when asked.</li>")
                    .Append("</ol>");
                break;
            case DevicePlatform.Android:
                body.Append("<ol>")
                    .Append($"<li><a class=\"button\" href=\"{base_}/ca.crt\">1. Download the CA certificate</a></li>")
                    .Append("<li>Open <span class=\"path\">Settings › Security &amp; privacy › More security settings › Encryption &amp; credentials › Install a certificate › CA certificate</span>, ")
                    .Append("tap <strong>Install anyway</strong> and pick <code>SecureCam-CA.crt</code> from Downloads. ")
                    .Append("(On some phones: <span class=\"path\">Settings › Security › Encryption &amp; credentials</span>, or search Settings for “certificate”.)</li>")
                    .Append($"<li><a class=\"button\" href=\"{base_}/identity.p12\">2. Download your identity (once)</a></li>")
                    .Append("<li>Same screen: <span class=\"path\">Install a certificate › VPN and app user certificate</span>, pick ")
                    .Append($"<code>{HtmlEncode(name)}.p12</code>, enter the .p12 password from the owner’s screen, and keep the name it suggests.</li>")
                    .Append($"<li>Open <a href=\"{HtmlEncode(viewerUrl)}\">{HtmlEncode(viewerUrl)}</a> in Chrome and pick this certificate when asked.</li>")
                    .Append("</ol>");
                break;
            default:
                body.Append("<ol>")
                    .Append($"<li><a class=\"button\" href=\"{base_}/ca.crt\">1. Download the CA certificate</a></li>")
                    .Append($"<li><a class=\"button\" href=\"{base_}/identity.p12\">2. Download your identity (once)</a></li>")
                    .Append("<li><strong>Firefox:</strong> <span class=\"path\">Settings › Privacy &amp; Security › Certificates › View Certificates</span>: ")
                    .Append("under <em>Authorities</em> import <code>SecureCam-CA.crt</code> and tick “Trust this CA to identify websites”; ")
                    .Append($"under <em>Your Certificates</em> import <code>{HtmlEncode(name)}.p12</code> with the .p12 password.</li>")
                    .Append("<li><strong>Chrome or Edge on Windows:</strong> open <code>SecureCam-CA.crt</code>, <em>Install Certificate</em>, put it in ")
                    .Append("<em>Trusted Root Certification Authorities</em>; then open the .p12 and follow the wizard with the .p12 password.</li>")
                    .Append("<li><strong>Chrome on Linux:</strong> <span class=\"path\">Settings › Privacy and security › Security › Manage certificates</span>: ")
                    .Append("import the CA under <em>Authorities</em> (trust for websites) and the .p12 under <em>Your certificates</em>.</li>")
                    .Append("<li><strong>Mac:</strong> use the <a href=\"?for=apple\">Apple profile</a> instead.</li>")
                    .Append($"<li>Open <a href=\"{HtmlEncode(viewerUrl)}\">{HtmlEncode(viewerUrl)}</a> and choose the SecureCam certificate when asked.</li>")
                    .Append("</ol>");
                break;
        }

        body.Append("<nav>Not this device? ")
            .Append("<a href=\"?for=apple\">iPhone, iPad, Mac</a><a href=\"?for=android\">Android</a><a href=\"?for=desktop\">Computer</a></nav>");
        return Document("Add this device to SecureCam", body.ToString());
    }

    /// <summary>A short page for a link that cannot be used (unknown, expired, used, refused).</summary>
    public static string Message(string title, string text) =>
        Document(title, $"<h1>{HtmlEncode(title)}</h1><p>{HtmlEncode(text)}</p>");

    private static string Document(string title, string body) =>
        $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{HtmlEncode(title)}</title>
        <link rel="stylesheet" href="{StylePath}">
        </head><body>
        {body}
        </body></html>

        """;
}
