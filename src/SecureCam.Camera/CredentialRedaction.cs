using System.Text.RegularExpressions;

namespace SecureCam.Camera;

/// <summary>
/// Takes secrets out of text that is shown or logged: a camera command such as
/// <c>ffmpeg -i rtsp://user:password@cam/stream</c> or a line its stderr printed. Hides the user-info of
/// every URL, the values of password-like query parameters and options, and HTTP Authorization values.
/// </summary>
public static partial class CredentialRedaction
{
    public const string Mask = "***";

    private const string SecretNames = @"password|passwd|pass|pwd|pw|passphrase|token|access_token|secret|api[_-]?key|apikey|key|auth|credentials?|user_pass";

    /// <summary><paramref name="text"/> with credentials replaced by <see cref="Mask"/>; null stays null.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        try
        {
            var result = UrlUserInfo().Replace(text, "${scheme}" + Mask + "@");
            result = SecretAssignment().Replace(result, "${name}${sep}" + Mask);
            result = SecretOption().Replace(result, "${name}${sep}" + Mask);
            return Authorization().Replace(result, "${name}" + Mask);
        }
        catch (RegexMatchTimeoutException)
        {
            // Text too hostile to read in time: show none of it rather than a secret.
            return "[redacted]";
        }
    }

    /// <summary>scheme://user:password@host → scheme://***@host (also user@host alone: a user name can be a token).</summary>
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]{0,30}://)[^/\s@""'<>]{1,1024}@", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex UrlUserInfo();

    /// <summary>password=…, ?token=…, key: … (an assignment).</summary>
    [GeneratedRegex(@"(?<name>\b(?:" + SecretNames + @"))(?<sep>\s*[=:]\s*)(?!\*\*\*)[^\s&""';,]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex SecretAssignment();

    /// <summary>--api-key …, -passphrase … (a command-line option and its value).</summary>
    [GeneratedRegex(@"(?<name>(?<![\w-])-{1,2}(?:" + SecretNames + @"))(?<sep>\s+)(?!\*\*\*)[^\s""';]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex SecretOption();

    [GeneratedRegex(@"(?<name>\bAuthorization\s*:\s*(?:Basic|Bearer|Digest)?\s*)[^\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex Authorization();
}
