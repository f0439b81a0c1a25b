using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Acme;

/// <summary>How the client talks to one ACME server. <see cref="Validate"/> runs when a client is created.</summary>
public sealed class AcmeClientOptions
{
    /// <summary>The directory URL, e.g. https://acme-v02.api.letsencrypt.org/directory.</summary>
    public Uri? DirectoryUri { get; set; }

    /// <summary>
    /// Extra roots trusted for the ACME server's own TLS certificate, on top of the system store: a test
    /// CA such as Pebble's, or a company CA.
    /// </summary>
    public X509Certificate2Collection ExtraTrustedRoots { get; } = [];

    /// <summary>How often a badNonce answer is retried with the nonce the error carried. Pebble rejects
    /// 5 % of good nonces by default (and up to all of them when told to), so a few retries are normal.</summary>
    public int BadNonceRetries { get; set; } = 10;

    /// <summary>How often a 429 or 503 is retried after waiting its Retry-After.</summary>
    public int RateLimitRetries { get; set; } = 3;

    /// <summary>The longest Retry-After honoured inside one call; longer waits surface as an error with
    /// <see cref="AcmeProblemException.RetryAfter"/> so the renewal loop can schedule them instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest polling interval for orders and authorizations when the server gives no
    /// Retry-After; polling starts at 50 ms and doubles up to this.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an authorization or order may stay pending/processing before giving up.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>The time limit of one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string UserAgent { get; set; } = "SecureCam-ACME/1.0";

    /// <summary>
    /// Tests only: accept an http:// directory (a scripted server without TLS). Whatever the directory,
    /// every URL the server hands out (nonce, account, order, authorization, certificate, renewalInfo) must
    /// have the directory's scheme, host and port, so a compromised or confused answer cannot send the
    /// client, with its signed requests, anywhere else.
    /// </summary>
    public bool AllowHttpForTesting { get; set; }

    /// <summary>Adds every certificate in a PEM file as an extra trusted root.</summary>
    public AcmeClientOptions TrustRootsFromPemFile(string path)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        if (roots.Count == 0)
        {
            throw new ArgumentException($"{path} holds no PEM certificate", nameof(path));
        }

        ExtraTrustedRoots.AddRange(roots);
        return this;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (DirectoryUri is null || !DirectoryUri.IsAbsoluteUri
            || (DirectoryUri.Scheme != Uri.UriSchemeHttps && !(AllowHttpForTesting && DirectoryUri.Scheme == Uri.UriSchemeHttp)))
        {
            throw new ArgumentException($"DirectoryUri must be an absolute https URL (got '{DirectoryUri}')");
        }

        if (BadNonceRetries < 0 || RateLimitRetries < 0)
        {
            throw new ArgumentException("BadNonceRetries and RateLimitRetries must not be negative");
        }

        if (PollInterval <= TimeSpan.Zero || PollTimeout <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentException("PollInterval, PollTimeout and RequestTimeout must be positive");
        }
    }
}
