namespace SecureCam.Acme;

/// <summary>The ACME server could not be reached: connection refused, DNS, timeout, or its TLS certificate is not trusted.</summary>
public sealed class AcmeServerUnreachableException : AcmeException
{
    public AcmeServerUnreachableException(Uri uri, Exception innerException)
        : base($"ACME server {uri.GetLeftPart(UriPartial.Authority)} cannot be reached: {Describe(innerException)}", innerException)
    {
        Uri = uri;
    }

    public AcmeServerUnreachableException()
    {
        Uri = new Uri("about:blank");
    }

    public AcmeServerUnreachableException(string message)
        : base(message)
    {
        Uri = new Uri("about:blank");
    }

    public AcmeServerUnreachableException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Uri = new Uri("about:blank");
    }

    public Uri Uri { get; }

    private static string Describe(Exception exception)
    {
        // The innermost message names the cause ("Connection refused", "Name or service not known").
        var inner = exception;
        while (inner.InnerException is not null)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return "its TLS certificate is not trusted (a test or private CA needs its root added as an extra trusted root, e.g. --trust FILE)";
            }

            inner = inner.InnerException;
        }

        if (inner is System.Security.Authentication.AuthenticationException)
        {
            return "its TLS certificate is not trusted (a test or private CA needs its root added as an extra trusted root, e.g. --trust FILE)";
        }

        return inner is TimeoutException or TaskCanceledException ? "no answer in time" : inner.Message.TrimEnd('.');
    }
}
