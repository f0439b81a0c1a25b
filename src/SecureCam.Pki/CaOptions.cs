namespace SecureCam.Pki;

/// <summary>What `init` makes: the CA's name, key type, validity and name constraints.</summary>
public sealed record CaOptions
{
    /// <summary>The CA's CommonName, as phones list it under Certificate Trust Settings.</summary>
    public string Name { get; init; } = "SecureCam Home CA";

    public CaKeyAlgorithm KeyAlgorithm { get; init; } = CaKeyAlgorithm.EcdsaP256;

    public int Days { get; init; } = CertificateProfiles.DefaultCaDays;

    /// <summary>The names the CA may vouch for; null for none (not recommended).</summary>
    public NameConstraints? NameConstraints { get; init; } = NameConstraints.Default;

    /// <summary>Throws a one-line PkiException naming the bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 64)
        {
            throw new PkiException("--name: the CA name must be 1-64 characters");
        }

        if (NameConstraints is { PermittedDns.Count: 0, PermittedIp.Count: 0 })
        {
            // RFC 5280 forbids an empty permittedSubtrees; "no constraints" is null, said on purpose.
            throw new PkiException("name constraints with no permitted names; use --no-name-constraints to have none");
        }

        if (Days is < 1 or > 36500)
        {
            throw new PkiException($"--days: {Days} is out of range for a CA (1-36500)");
        }
    }
}
