using System.Net;

namespace SecureCam.Acme;

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
