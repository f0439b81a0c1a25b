namespace SecureCam.Pki;

/// <summary>Checks host names for subjectAltNames and name constraints (RFC 1123 labels, ASCII only).</summary>
public static class DnsNames
{
    /// <summary>
    /// A host name of letters, digits and hyphens in dot-separated labels of 1-63 characters, at most
    /// 253 in all. A leading "*." (one wildcard label) is allowed when <paramref name="allowWildcard"/>.
    /// </summary>
    public static bool IsValid(string? name, bool allowWildcard = false)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 253)
        {
            return false;
        }

        if (allowWildcard && name.StartsWith("*.", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// OpenSSL's rule for whether a CommonName "looks like a host name" (and so is checked against DNS
    /// name constraints when a certificate has no DNS subjectAltName): only letters, digits, '-' and
    /// '.', with at least one dot between two labels. A name without a dot, or with an '_', is not.
    /// </summary>
    public static bool LooksLikeHostName(string commonName)
    {
        ArgumentNullException.ThrowIfNull(commonName);
        return commonName.Contains('.', StringComparison.Ordinal) && IsValid(commonName);
    }

    /// <summary>RFC 5280 dNSName subtree match, the way OpenSSL does it: equal, or ending in ".base".</summary>
    public static bool IsWithin(string name, string constraintBase)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(constraintBase);
        if (constraintBase.Length == 0)
        {
            return true;
        }

        if (name.Length < constraintBase.Length)
        {
            return false;
        }

        if (name.Length > constraintBase.Length && constraintBase[0] != '.' && name[name.Length - constraintBase.Length - 1] != '.')
        {
            return false;
        }

        return name.EndsWith(constraintBase, StringComparison.OrdinalIgnoreCase);
    }
}
