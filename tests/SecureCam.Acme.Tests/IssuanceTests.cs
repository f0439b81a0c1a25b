using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>Whole issuances against a real Pebble, with both challenge types.</summary>
public sealed class IssuanceTests
{
    private static readonly string[] Names = ["cam.securecam.test", "www.cam.securecam.test"];

    [SkippableFact]
    public async Task Http01_issues_a_chain_that_openssl_verifies_against_pebbles_root_and_intermediate()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var client = await AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None);
        using var accountKey = AccountKey.Generate();
        var account = await client.NewAccountAsync(accountKey, ["owner@securecam.test"], termsOfServiceAgreed: true, CancellationToken.None);
        var store = new Http01TokenStore();
        await using var responder = new Http01StandaloneResponder(store, pebble.HttpPort);

        using var issued = await new AcmeIssuer(client, store).IssueAsync(account, Names, CancellationToken.None);

        Assert.True(account.Created);
        // Pebble validates each challenge more than once (several "perspectives"), so at least one per name.
        Assert.True(responder.Answered >= Names.Length, $"answered {responder.Answered}");
        Assert.Equal(0, store.Count);
        Assert.True(issued.Covers(Names));
        Assert.True(issued.Certificate.HasPrivateKey);
        Assert.Single(issued.Chain);
        using var temp = new TempDirectory();
        var (root, intermediate) = await pebble.GetIssuersAsync();
        var verify = await OpensslVerify.ChainAsync(temp.Path, issued, root, OpensslVerify.ChainPem(issued));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("leaf.pem: OK", verify.StandardOutput, StringComparison.Ordinal);

        // The intermediate the ACME server sent is the one its management interface names.
        Assert.Equal(
            System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(intermediate).Thumbprint,
            issued.Chain[0].Thumbprint);
    }

    [SkippableFact]
    public async Task TlsAlpn01_issues_a_verifiable_certificate_and_every_certificate_gets_a_new_key()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var client = await AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None);
        using var accountKey = AccountKey.Generate();
        var account = await client.NewAccountAsync(accountKey, [], termsOfServiceAgreed: true, CancellationToken.None);
        using var store = new TlsAlpn01CertificateStore();
        await using var responder = new TlsAlpn01StandaloneResponder(store, pebble.TlsPort);
        var issuer = new AcmeIssuer(client, store);

        using var first = await issuer.IssueAsync(account, [Names[0]], CancellationToken.None);
        using var second = await issuer.IssueAsync(account, [Names[0]], CancellationToken.None);

        Assert.True(responder.Answered >= 1);
        Assert.Equal(0, store.Count);
        Assert.True(first.Covers([Names[0]]));
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.NotEqual(
            first.Certificate.PublicKey.ExportSubjectPublicKeyInfo(),
            second.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
        using var temp = new TempDirectory();
        var (root, _) = await pebble.GetIssuersAsync();
        var verify = await OpensslVerify.ChainAsync(temp.Path, first, root, OpensslVerify.ChainPem(first));
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [SkippableFact]
    public async Task A_certificate_can_be_revoked_once()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var client = await AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None);
        using var accountKey = AccountKey.Generate();
        var account = await client.NewAccountAsync(accountKey, [], termsOfServiceAgreed: true, CancellationToken.None);
        var store = new Http01TokenStore();
        await using var responder = new Http01StandaloneResponder(store, pebble.HttpPort);
        using var issued = await new AcmeIssuer(client, store).IssueAsync(account, [Names[0]], CancellationToken.None);

        await client.RevokeCertificateAsync(account, issued.Certificate, CancellationToken.None, reason: 4);

        var again = await Assert.ThrowsAsync<AcmeProblemException>(() => client.RevokeCertificateAsync(account, issued.Certificate, CancellationToken.None));
        Assert.Equal("alreadyRevoked", again.ProblemType);
    }

    [SkippableFact]
    public async Task Half_the_nonces_rejected_and_reused_authorizations_still_issue_every_time()
    {
        await using var pebble = await PebbleServer.StartAsync(new PebbleOptions { NonceRejectPercent = 50, AuthorizationReusePercent = 100 });
        var options = pebble.ClientOptions();

        // Each request is rejected with probability 1/2; 30 retries make a spurious failure over the
        // ~60 requests of this test about 1 in 10^7.
        options.BadNonceRetries = 30;
        using var client = await AcmeClient.CreateAsync(options, CancellationToken.None);
        using var accountKey = AccountKey.Generate();
        var account = await client.NewAccountAsync(accountKey, [], termsOfServiceAgreed: true, CancellationToken.None);
        var store = new Http01TokenStore();
        await using var responder = new Http01StandaloneResponder(store, pebble.HttpPort);
        var issuer = new AcmeIssuer(client, store);

        var serials = new HashSet<string>();
        var answeredAfterFirst = 0;
        for (var i = 0; i < 4; i++)
        {
            using var issued = await issuer.IssueAsync(account, [Names[0]], CancellationToken.None);
            serials.Add(issued.SerialNumber);
            answeredAfterFirst = i == 0 ? responder.Answered : answeredAfterFirst;
        }

        Assert.Equal(4, serials.Count);

        // Only the first order needed a validation: the others reused its valid authorization.
        Assert.True(answeredAfterFirst > 0);
        Assert.Equal(answeredAfterFirst, responder.Answered);
        Assert.Contains("reject 50% of good nonces", pebble.Output, StringComparison.Ordinal);
    }
}
