using System.Security.Cryptography;

namespace SecureCam.Acme;

/// <summary>
/// The issuance flow (certmagic's "issuer"): order, authorizations (skipping ones already valid),
/// challenges through an <see cref="IChallengeResponder"/>, finalize with a new key, download the chain.
/// </summary>
public sealed class AcmeIssuer
{
    private readonly AcmeClient _client;
    private readonly IChallengeResponder _responder;

    public AcmeIssuer(AcmeClient client, IChallengeResponder responder)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _responder = responder ?? throw new ArgumentNullException(nameof(responder));
    }

    /// <summary>
    /// Issues a certificate for <paramref name="names"/> (DNS names or IP addresses) for
    /// <paramref name="account"/>. <paramref name="replaces"/>: the ARI id of the certificate being renewed;
    /// <paramref name="profile"/>: one of the directory's certificate profiles, or null for the CA's default.
    /// </summary>
    public async Task<AcmeCertificate> IssueAsync(
        AcmeAccount account,
        IReadOnlyList<string> names,
        CancellationToken cancellationToken,
        string? replaces = null,
        string? profile = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            throw new ArgumentException("at least one name is needed", nameof(names));
        }

        var identifiers = names.Select(AcmeIdentifier.For).Distinct().ToList();
        var order = await PlaceOrderAsync(account, identifiers, replaces, profile, cancellationToken).ConfigureAwait(false);
        if (order.Status == AcmeStatus.Pending)
        {
            await AuthorizeAsync(account, order, cancellationToken).ConfigureAwait(false);
            order = await _client.WaitForOrderAsync(account, order.Location, cancellationToken).ConfigureAwait(false);
        }

        if (order.Status is not (AcmeStatus.Ready or AcmeStatus.Valid))
        {
            throw new AcmeException($"ACME order for {string.Join(", ", identifiers)} is {order.Status}: {order.Error?.ToString() ?? "no reason given"}");
        }

        ECDsa? key = null;
        try
        {
            if (order.Status == AcmeStatus.Ready)
            {
                var csr = CertificateSigningRequest.Create(identifiers, out key);
                order = await _client.FinalizeAsync(account, order, csr, cancellationToken).ConfigureAwait(false);
                if (order.Status != AcmeStatus.Valid)
                {
                    order = await _client.WaitForOrderAsync(account, order.Location, cancellationToken).ConfigureAwait(false);
                }
            }

            if (order.Status != AcmeStatus.Valid || order.Certificate is null || key is null)
            {
                throw new AcmeException($"ACME order for {string.Join(", ", identifiers)} ended {order.Status} without a certificate: {order.Error?.ToString() ?? "no reason given"}");
            }

            var pem = await _client.DownloadCertificateAsync(account, order.Certificate, cancellationToken).ConfigureAwait(false);
            return AcmeCertificate.FromPem(pem, key.ExportPkcs8PrivateKeyPem());
        }
        finally
        {
            key?.Dispose();
        }
    }

    private async Task<AcmeOrder> PlaceOrderAsync(AcmeAccount account, List<AcmeIdentifier> identifiers, string? replaces, string? profile, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.NewOrderAsync(account, identifiers, cancellationToken, replaces, profile).ConfigureAwait(false);
        }
        catch (AcmeProblemException e) when (replaces is not null && e.ProblemType is "alreadyReplaced" or "malformed" or "conflict")
        {
            // The CA will not link this order to the old certificate (already renewed elsewhere, or it
            // dislikes the id): an order without "replaces" still gets a certificate.
            return await _client.NewOrderAsync(account, identifiers, cancellationToken, replaces: null, profile).ConfigureAwait(false);
        }
    }

    private async Task AuthorizeAsync(AcmeAccount account, AcmeOrder order, CancellationToken cancellationToken)
    {
        var presented = new List<PendingChallenge>();
        try
        {
            foreach (var url in order.Authorizations)
            {
                var authorization = await _client.GetAuthorizationAsync(account, url, cancellationToken).ConfigureAwait(false);
                if (authorization.Status == AcmeStatus.Valid)
                {
                    // Reused from an earlier order (Pebble does this half the time, Let's Encrypt for 30 days).
                    continue;
                }

                if (authorization.Status != AcmeStatus.Pending)
                {
                    throw Failed(authorization.Identifier, "authorization", $"the authorization is {authorization.Status}");
                }

                var challenge = authorization.Challenges.FirstOrDefault(c => c.Type == _responder.ChallengeType)
                    ?? throw Failed(authorization.Identifier, "unsupported", $"the CA offers only {string.Join(", ", authorization.Challenges.Select(c => c.Type))}");
                var token = challenge.Token ?? throw new AcmeException($"ACME server sent a {challenge.Type} challenge without a token");
                await _responder.PresentAsync(authorization.Identifier, token, account.Key.KeyAuthorization(token), cancellationToken).ConfigureAwait(false);
                presented.Add(new PendingChallenge(authorization.Identifier, url, challenge, token));
            }

            // Every answer is in place before the CA is told to look; then the validations run side by side.
            foreach (var pending in presented)
            {
                await _client.AnswerChallengeAsync(account, pending.Challenge, cancellationToken).ConfigureAwait(false);
            }

            await Task.WhenAll(presented.Select(p => WaitValidAsync(account, p, cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var pending in presented)
            {
                await _responder.CleanupAsync(pending.Identifier, pending.Token, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitValidAsync(AcmeAccount account, PendingChallenge pending, CancellationToken cancellationToken)
    {
        // The verdict lands on the authorization (and the error on its challenge), so poll the authorization.
        var authorization = await _client.WaitForAuthorizationAsync(account, pending.AuthorizationUrl, cancellationToken).ConfigureAwait(false);
        if (authorization.Status != AcmeStatus.Valid)
        {
            var error = authorization.Challenges.FirstOrDefault(c => c.Url == pending.Challenge.Url)?.Error
                ?? authorization.Challenges.Select(c => c.Error).FirstOrDefault(e => e is not null);
            throw new AcmeChallengeFailedException(pending.Identifier, _responder.ChallengeType, error);
        }
    }

    private AcmeChallengeFailedException Failed(AcmeIdentifier identifier, string type, string detail) =>
        new(identifier, _responder.ChallengeType, new AcmeProblem { Type = type, Detail = detail });

    private sealed record PendingChallenge(AcmeIdentifier Identifier, Uri AuthorizationUrl, AcmeChallenge Challenge, string Token);
}
