namespace SecureCam.Server.Http;

/// <summary>
/// Answers ACME http-01 challenges on the plain-HTTP listener. The ACME integration registers one;
/// without it every challenge URL is a 404.
/// </summary>
internal interface IAcmeChallengeResponder
{
    /// <summary>The key authorization for <paramref name="token"/>, or null when no such challenge is pending.</summary>
    ValueTask<string?> GetKeyAuthorizationAsync(string token, CancellationToken cancellationToken);
}
