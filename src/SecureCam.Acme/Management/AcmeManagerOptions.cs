namespace SecureCam.Acme;

/// <summary>What <see cref="AcmeCertificateManager"/> keeps valid, and how. <see cref="Validate"/> runs at construction.</summary>
public sealed class AcmeManagerOptions
{
    /// <summary>The ACME server: directory URL, extra trusted roots, retries and polling.</summary>
    public AcmeClientOptions Client { get; } = new();

    /// <summary>The names on the certificate: DNS names (or IP addresses, where the CA allows them).</summary>
    public IList<string> Domains { get; } = [];

    /// <summary>Contact addresses for the account (the CA warns about expiry and policy changes there).</summary>
    public IList<string> Emails { get; } = [];

    /// <summary>The CA's terms of service are accepted: required by every public CA.</summary>
    public bool AcceptTermsOfService { get; set; }

    /// <summary>Set when the CA requires external account binding.</summary>
    public ExternalAccountBindingKey? ExternalAccountBinding { get; set; }

    /// <summary>
    /// The certificate profile to order under (draft-ietf-acme-profiles), e.g. "shortlived" for Let's
    /// Encrypt's six-day certificates that may name IP addresses; null: the CA's default. Checked
    /// against the directory before every order.
    /// </summary>
    public string? Profile { get; set; }

    /// <summary>The storage name of the certificate; default: the first domain.</summary>
    public string? CertificateName { get; set; }

    /// <summary>How often the renewal time (and ARI) is looked at again even when nothing is due.
    /// Twice a day: ARI windows can move, e.g. when a CA must revoke early.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>The first retry after a failed renewal. Five minutes stays within Let's Encrypt's limit of
    /// five failed validations per hostname per hour even while the delays are still short.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The cap of the retry backoff: a failing box still tries four times a day.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The time limit of one whole issuance attempt, so a stuck CA never stalls the loop.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public string EffectiveCertificateName => CertificateName ?? (Domains.Count > 0 ? AcmeIdentifier.For(Domains[0]).Value : "");

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Client.Validate();
        if (Domains.Count == 0 || Domains.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Domains: at least one domain name is needed");
        }

        if (Profile is not null && (Profile.Length == 0 || Profile.Any(char.IsWhiteSpace)))
        {
            throw new ArgumentException($"Profile: '{Profile}' is not a profile name");
        }

        if (CheckInterval <= TimeSpan.Zero || CheckInterval > TimeSpan.FromDays(1))
        {
            throw new ArgumentException("CheckInterval must be more than zero and at most one day");
        }

        if (RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
        {
            throw new ArgumentException("RetryInitialDelay must be positive and RetryMaxDelay not below it");
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("AttemptTimeout must be positive");
        }
    }
}
