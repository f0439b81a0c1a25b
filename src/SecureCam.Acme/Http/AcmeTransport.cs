using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace SecureCam.Acme;

/// <summary>
/// The HTTP side of ACME: signed POSTs with a fresh nonce each, the nonce pool, problem documents,
/// and the retries a well-behaved client does (badNonce, 429, 503). One per <see cref="AcmeClient"/>.
/// </summary>
/// <remarks>
/// A plain loop rather than a Polly pipeline: the two retry reasons have different budgets and
/// every attempt must be signed again with a new nonce, which a loop states in a few lines.
/// </remarks>
internal sealed class AcmeTransport : IDisposable
{
    private const string JoseJson = "application/jose+json";
    private readonly AcmeClientOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly NoncePool _nonces = new();

    public AcmeTransport(AcmeClientOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var extraRoots = new X509Certificate2Collection(options.ExtraTrustedRoots);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    ServerCertificateValidator.IsTrusted(certificate, chain, errors, extraRoots),
            },
        };
        _http = new HttpClient(handler) { Timeout = options.RequestTimeout };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    public AcmeDirectory? Directory { get; set; }

    /// <summary>GET without a signature: the directory and renewalInfo are the only such resources.</summary>
    public async Task<AcmeResponse> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        CheckUrl(uri);
        var retries = new RetryCounts();
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return response.Value;
            }

            await ThrowOrWaitAsync(response, uri, retries, retryBadNonce: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A signed POST. <paramref name="payload"/> null means POST-as-GET. <paramref name="accountUrl"/>
    /// null puts the JWK in the header (newAccount).
    /// </summary>
    public async Task<AcmeResponse> PostAsync(
        Uri uri,
        AccountKey key,
        Uri? accountUrl,
        object? payload,
        CancellationToken cancellationToken,
        string? accept = null)
    {
        CheckUrl(uri);
        var retries = new RetryCounts();
        while (true)
        {
            var nonce = await TakeNonceAsync(cancellationToken).ConfigureAwait(false);
            var jws = JwsSigner.Sign(key, uri, nonce, accountUrl, payload);
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(jws, AcmeJson.Default.JwsMessage)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(JoseJson);
            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }

            var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                return response.Value;
            }

            await ThrowOrWaitAsync(response, uri, retries, retryBadNonce: true, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> TakeNonceAsync(CancellationToken cancellationToken)
    {
        if (_nonces.TryTake(out var nonce))
        {
            return nonce;
        }

        var newNonce = Directory?.NewNonce ?? throw new InvalidOperationException("The directory has not been loaded.");
        using var request = new HttpRequestMessage(HttpMethod.Head, newNonce);
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw ToException(response, newNonce);
        }

        return _nonces.TryTake(out nonce)
            ? nonce
            : throw new AcmeException($"ACME server gave no Replay-Nonce at {newNonce}");
    }

    private async Task ThrowOrWaitAsync(SendResult failure, Uri uri, RetryCounts retries, bool retryBadNonce, CancellationToken cancellationToken)
    {
        // badNonce: the error response carried a fresh nonce, already in the pool; retry at once.
        if (retryBadNonce && failure.Problem.Is("badNonce") && retries.BadNonce < _options.BadNonceRetries)
        {
            retries.BadNonce++;
            return;
        }

        var retryable = failure.Value.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
        var wait = failure.Value.RetryAfter ?? TimeSpan.FromSeconds(1 << Math.Min(retries.Waits, 5));
        if (retryable && retries.Waits < _options.RateLimitRetries && wait <= _options.MaxRetryAfter)
        {
            retries.Waits++;
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        throw ToException(failure, uri);
    }

    private static AcmeProblemException ToException(SendResult failure, Uri uri) =>
        new(failure.Problem, failure.Value.StatusCode, uri, failure.Value.RetryAfter);

    /// <summary>Refuses a URL whose scheme, host or port is not the directory's (see <see cref="AcmeClientOptions.AllowHttpForTesting"/>).</summary>
    private void CheckUrl(Uri uri)
    {
        var directory = _options.DirectoryUri!;
        if (!uri.IsAbsoluteUri || uri.Scheme != directory.Scheme
            || !string.Equals(uri.IdnHost, directory.IdnHost, StringComparison.OrdinalIgnoreCase) || uri.Port != directory.Port)
        {
            throw new AcmeException($"ACME server handed out a URL elsewhere than its directory ({(uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Authority) : uri.ToString())}, not {directory.GetLeftPart(UriPartial.Authority)}); refusing to follow it");
        }
    }

    private async Task<SendResult> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CheckUrl(request.RequestUri!);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new AcmeServerUnreachableException(request.RequestUri!, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AcmeServerUnreachableException(request.RequestUri!, e);
        }
        catch (AuthenticationException e)
        {
            throw new AcmeServerUnreachableException(request.RequestUri!, e);
        }

        using (response)
        {
            if (response.Headers.TryGetValues("Replay-Nonce", out var nonces))
            {
                foreach (var nonce in nonces)
                {
                    _nonces.Add(nonce);
                }
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var links = response.Headers.TryGetValues("Link", out var linkValues) ? linkValues.ToList() : [];
            var value = new AcmeResponse(
                response.StatusCode,
                response.Headers.Location is { } location ? new Uri(request.RequestUri!, location) : null,
                RetryAfter.From(response.Headers, _time),
                links,
                response.Content.Headers.ContentType?.MediaType ?? "",
                body);
            return response.IsSuccessStatusCode
                ? new SendResult(value, new AcmeProblem())
                : new SendResult(value, ReadProblem(value));
        }
    }

    private static AcmeProblem ReadProblem(AcmeResponse response)
    {
        try
        {
            if (response.Body.Length > 0 && response.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return JsonSerializer.Deserialize(response.Body, AcmeJson.Default.AcmeProblem) ?? new AcmeProblem();
            }
        }
        catch (JsonException)
        {
        }

        // Not a problem document (a proxy's error page): keep the first line of what came back.
        var text = Encoding.UTF8.GetString(response.Body).Split('\n', 2)[0].Trim();
        return new AcmeProblem { Type = "http", Detail = text.Length > 0 ? text : response.StatusCode.ToString() };
    }

    /// <summary>The two retry budgets of one request, counted apart.</summary>
    private sealed class RetryCounts
    {
        public int BadNonce { get; set; }

        public int Waits { get; set; }
    }

    private readonly record struct SendResult(AcmeResponse Value, AcmeProblem Problem)
    {
        public bool IsSuccess => (int)Value.StatusCode is >= 200 and < 300;
    }
}

/// <summary>A successful ACME response, read fully: status, Location, Retry-After, Link and body.</summary>
internal sealed record AcmeResponse(
    HttpStatusCode StatusCode,
    Uri? Location,
    TimeSpan? RetryAfter,
    IReadOnlyList<string> Links,
    string ContentType,
    byte[] Body);

/// <summary>
/// Nonces handed out by the server in Replay-Nonce headers. Every response carries one; keeping them
/// saves a newNonce round trip per request. Each nonce is used at most once.
/// </summary>
internal sealed class NoncePool
{
    // A bound so a long-lived client never grows without limit; old nonces expire on the server anyway.
    private const int Capacity = 16;
    private readonly ConcurrentQueue<string> _nonces = new();

    public void Add(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce))
        {
            return;
        }

        _nonces.Enqueue(nonce);
        while (_nonces.Count > Capacity && _nonces.TryDequeue(out _))
        {
        }
    }

    public bool TryTake(out string nonce)
    {
        if (_nonces.TryDequeue(out var taken))
        {
            nonce = taken;
            return true;
        }

        nonce = "";
        return false;
    }
}

/// <summary>Reads Retry-After (delta seconds or an HTTP date, RFC 9110 §10.2.3) as a wait from now.</summary>
internal static class RetryAfter
{
    public static TimeSpan? From(HttpResponseHeaders headers, TimeProvider time)
    {
        var value = headers.RetryAfter;
        if (value is null)
        {
            return null;
        }

        if (value.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>A wait bounded to [0, max].</summary>
    public static TimeSpan Bound(TimeSpan? wait, TimeSpan fallback, TimeSpan max)
    {
        var chosen = wait ?? fallback;
        return chosen > max ? max : chosen;
    }
}
