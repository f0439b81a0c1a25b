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
