using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace SecureCam.Acme;

/// <summary>
/// The http-01 answers currently wanted: token → key authorization. Whatever serves plain HTTP on port 80
/// (the server's listener, or <see cref="Http01StandaloneResponder"/>) answers
/// GET /.well-known/acme-challenge/TOKEN with <see cref="TryGetKeyAuthorization"/>.
/// </summary>
public sealed class Http01TokenStore : IChallengeResponder
{
    /// <summary>The path prefix the CA requests (RFC 8555 §8.3).</summary>
    public const string PathPrefix = "/.well-known/acme-challenge/";

    /// <summary>The response's content type; RFC 8555 §8.3 names application/octet-stream.</summary>
    public const string ContentType = "application/octet-stream";

    private readonly ConcurrentDictionary<string, string> _answers = new(StringComparer.Ordinal);

    public string ChallengeType => ChallengeTypes.Http01;

    /// <summary>The number of challenges being answered now.</summary>
    public int Count => _answers.Count;

    public bool TryGetKeyAuthorization(string token, [NotNullWhen(true)] out string? keyAuthorization) =>
        _answers.TryGetValue(token, out keyAuthorization);

    /// <summary>The same, from a request path; false for paths outside <see cref="PathPrefix"/>.</summary>
    public bool TryGetKeyAuthorizationForPath(string path, [NotNullWhen(true)] out string? keyAuthorization)
    {
        keyAuthorization = null;
        return path.StartsWith(PathPrefix, StringComparison.Ordinal)
            && TryGetKeyAuthorization(path[PathPrefix.Length..], out keyAuthorization);
    }

    public ValueTask PresentAsync(AcmeIdentifier identifier, string token, string keyAuthorization, CancellationToken cancellationToken)
    {
        _answers[token] = keyAuthorization;
        return ValueTask.CompletedTask;
    }

    public ValueTask CleanupAsync(AcmeIdentifier identifier, string token, CancellationToken cancellationToken)
    {
        _answers.TryRemove(token, out _);
        return ValueTask.CompletedTask;
    }
}
