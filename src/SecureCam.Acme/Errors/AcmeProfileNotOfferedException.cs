namespace SecureCam.Acme;

/// <summary>The certificate profile asked for is not one the CA's directory advertises (nothing was ordered).</summary>
public sealed class AcmeProfileNotOfferedException : AcmeException
{
    public AcmeProfileNotOfferedException(Uri directory, string profile, IReadOnlyList<string> offered)
        : base(offered.Count == 0
            ? $"the ACME server {directory} offers no certificate profiles, so the profile '{profile}' cannot be used; leave the profile out"
            : $"the ACME server {directory} does not offer the profile '{profile}'; it offers: {string.Join(", ", offered)}")
    {
        Profile = profile;
        Offered = offered;
    }

    public AcmeProfileNotOfferedException()
    {
    }

    public AcmeProfileNotOfferedException(string message)
        : base(message)
    {
    }

    public AcmeProfileNotOfferedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public string Profile { get; } = "";

    public IReadOnlyList<string> Offered { get; } = [];
}
