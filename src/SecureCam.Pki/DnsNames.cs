namespace SecureCam.Pki;

/// <summary>Checks host names for subjectAltNames and name constraints (RFC 1123 labels, ASCII only).</summary>
public static class DnsNames
{
    /// <summary>
    /// A host name of letters, digits and hyphens in dot-separated labels of 1-63 characters, at most
    /// 253 in all. A leading "*." (one wildcard label) is allowed when <paramref name="allowWildcard"/>;
    /// '_' inside labels when <paramref name="allowUnderscore"/> (not in host names, but OpenSSL and
    /// .NET accept it in a dNSName).
    /// </summary>
    public static bool IsValid(string? name, bool allowWildcard = false, bool allowUnderscore = false)
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
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || (allowUnderscore && c == '_')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a verifier may read a CommonName as a host name. OpenSSL does so for any name of letters,
    /// digits, '_' and '-' with at least one dot between two labels, and then checks it against the
    /// CA's DNS name constraints when the certificate has no DNS subjectAltName. This errs on the side of
    /// "yes": any name with a dot that could be a dNSName at all.
    /// </summary>
    public static bool MayBeReadAsHostName(string commonName)
    {
        ArgumentNullException.ThrowIfNull(commonName);
        return commonName.Contains('.', StringComparison.Ordinal) && IsValid(commonName, allowUnderscore: true);
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
