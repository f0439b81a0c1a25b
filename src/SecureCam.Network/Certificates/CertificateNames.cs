namespace SecureCam.Network.Certificates;

/// <summary>Host-name matching as TLS clients do it (RFC 6125): case-insensitive, "*." matches one label.</summary>
public static class CertificateNames
{
    public static bool Matches(string pattern, string host)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(host);
        pattern = pattern.TrimEnd('.');
        host = host.TrimEnd('.');
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && string.Equals(pattern[1..], host[dot..], StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    public static bool AnyMatches(IEnumerable<string> patterns, string host) => patterns.Any(p => Matches(p, host));
}
