namespace SecureCam.Pki;

/// <summary>
/// Names of issued certificates. A name becomes a folder (issued/NAME) and a file (NAME.p12), so it
/// is held to what is safe as a path component everywhere: letters, digits, '.', '_', '-', no leading dot
/// (no hidden files, no "." or ".."), at most 64 characters (the X.509 upper bound for a CommonName).
/// </summary>
public static class CertificateNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxLength
        && name[0] != '.'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Throws a one-line <see cref="PkiException"/> when <paramref name="name"/> is not a valid name.</summary>
    public static void Validate(string? name)
    {
        if (!IsValid(name))
        {
            throw new PkiException(
                $"invalid name '{name}': use 1-{MaxLength} of A-Z a-z 0-9 . _ - and do not start with a dot");
        }
    }
}
