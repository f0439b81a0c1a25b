namespace SecureCam.Acme;

/// <summary>
/// Makes a challenge answerable while the CA validates it. The server implements this on its own
/// listeners (<see cref="Http01TokenStore"/>, <see cref="TlsAlpn01CertificateStore"/>); the CLI and tests
/// put the same stores behind the standalone responders.
/// </summary>
public interface IChallengeResponder
{
    /// <summary>The challenge type this responder answers: <see cref="ChallengeTypes"/>.</summary>
    string ChallengeType { get; }

    /// <summary>Starts answering for <paramref name="identifier"/>; called before the CA is told to validate.</summary>
    ValueTask PresentAsync(AcmeIdentifier identifier, string token, string keyAuthorization, CancellationToken cancellationToken);

    /// <summary>Stops answering; called once the authorization is no longer pending (or issuance failed).</summary>
    ValueTask CleanupAsync(AcmeIdentifier identifier, string token, CancellationToken cancellationToken);
}

/// <summary>The challenge types SecureCam answers.</summary>
public static class ChallengeTypes
{
    /// <summary>RFC 8555 §8.3: a file at http://DOMAIN:80/.well-known/acme-challenge/TOKEN.</summary>
    public const string Http01 = "http-01";

    /// <summary>RFC 8737: a special certificate in a TLS handshake on port 443 with ALPN "acme-tls/1".</summary>
    public const string TlsAlpn01 = "tls-alpn-01";

    public static bool IsSupported(string type) => type is Http01 or TlsAlpn01;
}
