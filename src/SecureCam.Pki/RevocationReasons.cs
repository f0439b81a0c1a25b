using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>Revocation reasons by their RFC 5280 names (keyCompromise, superseded, …).</summary>
public static class RevocationReasons
{
    /// <summary>The reasons a person may give to `revoke --reason` (removeFromCRL is for delta CRLs only).</summary>
    public static IReadOnlyList<X509RevocationReason> Allowed { get; } =
    [
        X509RevocationReason.Unspecified,
        X509RevocationReason.KeyCompromise,
        X509RevocationReason.AffiliationChanged,
        X509RevocationReason.Superseded,
        X509RevocationReason.CessationOfOperation,
        X509RevocationReason.CertificateHold,
        X509RevocationReason.PrivilegeWithdrawn,
    ];

    /// <summary>The RFC 5280 spelling: keyCompromise, superseded, cACompromise….</summary>
    public static string Name(X509RevocationReason reason)
    {
        var text = reason.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    /// <summary>Parses "keyCompromise", "key-compromise" or "KEY_COMPROMISE".</summary>
    public static bool TryParse(string? text, out X509RevocationReason reason)
    {
        var squashed = (text ?? string.Empty).Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
        foreach (var candidate in Allowed)
        {
            if (string.Equals(candidate.ToString(), squashed, StringComparison.OrdinalIgnoreCase))
            {
                reason = candidate;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
