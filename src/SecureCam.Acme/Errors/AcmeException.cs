using System.Net;
using System.Security.Authentication;

namespace SecureCam.Acme;

/// <summary>The base of every error the ACME client raises; its message is one line a user can act on.</summary>
public class AcmeException : Exception
{
    public AcmeException(string message)
        : base(message)
    {
    }

    public AcmeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public AcmeException()
    {
    }
}

/// <summary>The ACME server answered with a problem document: its type and detail are kept.</summary>
public class AcmeProblemException : AcmeException
{
    public AcmeProblemException(AcmeProblem problem, HttpStatusCode statusCode, Uri requestUri, TimeSpan? retryAfter = null)
        : base($"ACME server refused {requestUri.AbsolutePath}: {problem} (HTTP {(int)statusCode})")
    {
        Problem = problem;
        StatusCode = statusCode;
        RequestUri = requestUri;
        RetryAfter = retryAfter;
    }

    public AcmeProblemException()
    {
        Problem = new AcmeProblem();
        RequestUri = new Uri("about:blank");
    }

    public AcmeProblemException(string message)
        : base(message)
    {
        Problem = new AcmeProblem { Detail = message };
        RequestUri = new Uri("about:blank");
    }

    public AcmeProblemException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problem = new AcmeProblem { Detail = message };
        RequestUri = new Uri("about:blank");
    }

    public AcmeProblem Problem { get; }

    /// <summary>The ACME error name without its URN prefix, e.g. "rateLimited", "accountDoesNotExist".</summary>
    public string ProblemType => Problem.ShortType;

    public string? Detail => Problem.Detail;

    public HttpStatusCode StatusCode { get; }

    public Uri RequestUri { get; }

    /// <summary>The server's Retry-After, when it gave one (rate limits, 503).</summary>
    public TimeSpan? RetryAfter { get; }
}

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
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException)
            {
                return "its TLS certificate is not trusted (a test or private CA needs its root added as an extra trusted root, e.g. --trust FILE)";
            }
        }

        // The innermost message names the cause ("Connection refused", "Name or service not known").
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner is TimeoutException or TaskCanceledException ? "no answer in time" : inner.Message.TrimEnd('.');
    }
}

/// <summary>The CA could not validate control of an identifier: the challenge could not be answered.</summary>
public sealed class AcmeChallengeFailedException : AcmeException
{
    public AcmeChallengeFailedException(AcmeIdentifier identifier, string challengeType, AcmeProblem? problem)
        : base($"{challengeType} challenge for {identifier.Value} failed: {problem?.ToString() ?? "the authorization became invalid"}")
    {
        Identifier = identifier;
        ChallengeType = challengeType;
        Problem = problem;
    }

    public AcmeChallengeFailedException()
    {
        Identifier = new AcmeIdentifier("dns", "");
        ChallengeType = "";
    }

    public AcmeChallengeFailedException(string message)
        : base(message)
    {
        Identifier = new AcmeIdentifier("dns", "");
        ChallengeType = "";
    }

    public AcmeChallengeFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Identifier = new AcmeIdentifier("dns", "");
        ChallengeType = "";
    }

    public AcmeIdentifier Identifier { get; }

    public string ChallengeType { get; }

    public AcmeProblem? Problem { get; }
}

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

/// <summary>An order or authorization stayed pending/processing longer than the polling bound.</summary>
public sealed class AcmeTimeoutException : AcmeException
{
    public AcmeTimeoutException(string message)
        : base(message)
    {
    }

    public AcmeTimeoutException()
    {
    }

    public AcmeTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
