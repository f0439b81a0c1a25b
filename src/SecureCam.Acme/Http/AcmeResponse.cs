using System.Net;

namespace SecureCam.Acme;

/// <summary>A successful ACME response, read fully: status, Location, Retry-After, Link and body.</summary>
internal sealed record AcmeResponse(
    HttpStatusCode StatusCode,
    Uri? Location,
    TimeSpan? RetryAfter,
    IReadOnlyList<string> Links,
    string ContentType,
    byte[] Body);
