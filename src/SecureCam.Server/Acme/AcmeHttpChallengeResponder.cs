using SecureCam.Acme;
using SecureCam.Server.Http;

namespace SecureCam.Server.Acme;

/// <summary>http-01 on the plain-HTTP listener: the answers the certificate manager put in the token store.</summary>
internal sealed class AcmeHttpChallengeResponder(Http01TokenStore tokens) : IAcmeChallengeResponder
{
    public ValueTask<string?> GetKeyAuthorizationAsync(string token, CancellationToken cancellationToken) =>
        ValueTask.FromResult(tokens.TryGetKeyAuthorization(token, out var answer) ? answer : null);
}
