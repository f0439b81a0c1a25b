namespace SecureCam.Acme;

/// <summary>The CA has terms of service and they were not accepted (nothing was sent to the CA).</summary>
public sealed class AcmeTermsNotAcceptedException : AcmeException
{
    public AcmeTermsNotAcceptedException(Uri? termsOfService)
        : base($"the ACME server's terms of service must be accepted first{(termsOfService is null ? "" : $" ({termsOfService})")}")
    {
        TermsOfService = termsOfService;
    }

    public AcmeTermsNotAcceptedException()
    {
    }

    public AcmeTermsNotAcceptedException(string message)
        : base(message)
    {
    }

    public AcmeTermsNotAcceptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public Uri? TermsOfService { get; }
}
