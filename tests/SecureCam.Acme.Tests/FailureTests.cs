using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>What a user sees when issuance cannot work: one clear, typed error each.</summary>
public sealed class FailureTests
{
    [SkippableFact]
    public async Task A_challenge_nobody_answers_fails_with_the_name_the_type_and_the_cas_reason()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var client = await AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None);
        using var accountKey = AccountKey.Generate();
        var account = await client.NewAccountAsync(accountKey, [], termsOfServiceAgreed: true, CancellationToken.None);

        // The token store is filled, but nothing listens on the port Pebble validates on.
        var store = new Http01TokenStore();
        var error = await Assert.ThrowsAsync<AcmeChallengeFailedException>(
            () => new AcmeIssuer(client, store).IssueAsync(account, ["unanswered.securecam.test"], CancellationToken.None));

        Assert.Equal("unanswered.securecam.test", error.Identifier.Value);
        Assert.Equal(ChallengeTypes.Http01, error.ChallengeType);
        Assert.Equal("connection", error.Problem?.ShortType);
        Assert.StartsWith("http-01 challenge for unanswered.securecam.test failed: connection:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(0, store.Count);
    }

    [SkippableFact]
    public async Task A_stopped_acme_server_is_reported_as_unreachable()
    {
        await using var pebble = await PebbleServer.StartAsync();
        await pebble.StopAsync();

        var error = await Assert.ThrowsAsync<AcmeServerUnreachableException>(
            () => AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None));

        Assert.StartsWith($"ACME server https://127.0.0.1:{pebble.AcmePort} cannot be reached: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task An_acme_server_whose_tls_certificate_is_not_trusted_is_refused()
    {
        await using var pebble = await PebbleServer.StartAsync();
        var options = new AcmeClientOptions { DirectoryUri = pebble.DirectoryUri };

        var error = await Assert.ThrowsAsync<AcmeServerUnreachableException>(() => AcmeClient.CreateAsync(options, CancellationToken.None));

        Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task Terms_not_accepted_stop_before_anything_is_sent()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var client = await AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None);
        using var accountKey = AccountKey.Generate();

        var error = await Assert.ThrowsAsync<AcmeTermsNotAcceptedException>(
            () => client.NewAccountAsync(accountKey, [], termsOfServiceAgreed: false, CancellationToken.None));

        Assert.NotNull(error.TermsOfService);
        var missing = await Assert.ThrowsAsync<AcmeProblemException>(() => client.FindAccountAsync(accountKey, CancellationToken.None));
        Assert.Equal("accountDoesNotExist", missing.ProblemType);
    }
}
