namespace SecureCam.Pki;

/// <summary>Error text for the one-line messages every SecureCam program prints.</summary>
public static class ErrorText
{
    /// <summary>The first line of <paramref name="text"/>: a parser's or the runtime's message can run on for lines.</summary>
    public static string FirstLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
