using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>
/// Certificate profiles (draft-ietf-acme-profiles: the directory's meta.profiles, "profile" in newOrder),
/// against the scripted ACME server: Pebble 2.4 has no profiles.
/// </summary>
public sealed class ProfileTests
{
    private const string LetsEncryptProfiles = """{"classic":"90 days","shortlived":"6 days; IP addresses allowed","tlsserver":"45 days"}""";

    [Fact]
    public async Task A_profile_the_directory_offers_is_sent_with_the_order_and_comes_back_on_it()
    {
        using var ca = new ScriptedCa(TimeProvider.System, TimeSpan.FromDays(6));
        await using var server = new ScriptedAcmeServer(ca.Answer, LetsEncryptProfiles);
        ca.BaseUri = server.BaseUri;
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { DirectoryUri = server.DirectoryUri, AllowHttpForTesting = true }, CancellationToken.None);
        using var key = AccountKey.Generate();
        var account = new AcmeAccount { Location = new Uri(server.BaseUri, "/account/1"), Key = key, Resource = new AcmeAccountResource() };

        Assert.Equal(["classic", "shortlived", "tlsserver"], client.Directory.Meta!.Profiles!.Keys.Order(StringComparer.Ordinal));
        var order = await client.NewOrderAsync(account, [AcmeIdentifier.For("203.0.113.7")], CancellationToken.None, profile: "shortlived");

        Assert.Equal("shortlived", order.Profile);
        var sent = Assert.Single(ca.Orders);
        Assert.Equal("shortlived", sent.GetProperty("profile").GetString());
        Assert.Equal("ip", sent.GetProperty("identifiers")[0].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(LetsEncryptProfiles, "does not offer the profile 'shortlive'; it offers: classic, shortlived, tlsserver")]
    [InlineData(null, "offers no certificate profiles, so the profile 'shortlive' cannot be used; leave the profile out")]
    public async Task A_profile_the_directory_lacks_fails_in_one_line_before_anything_is_ordered(string? profiles, string expected)
    {
        using var ca = new ScriptedCa(TimeProvider.System, TimeSpan.FromDays(6));
        await using var server = new ScriptedAcmeServer(ca.Answer, profiles);
        ca.BaseUri = server.BaseUri;
        using var pki = new TempDirectory();
        var options = new AcmeManagerOptions { AcceptTermsOfService = true, Profile = "shortlive" };
        options.Client.DirectoryUri = server.DirectoryUri;
        options.Client.AllowHttpForTesting = true;
        options.Domains.Add("203.0.113.7");
        using var manager = new AcmeCertificateManager(options, new Http01TokenStore(), new AcmeFileStorage(pki.Path));

        Assert.False(await manager.RenewOnceAsync(CancellationToken.None));

        var status = manager.Status;
        Assert.Equal(AcmeManagerState.Failing, status.State);
        Assert.Equal($"the ACME server {server.DirectoryUri} {expected}", status.LastError);
        Assert.DoesNotContain('\n', status.LastError!);
        Assert.Empty(ca.Orders);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/order");
    }
}
