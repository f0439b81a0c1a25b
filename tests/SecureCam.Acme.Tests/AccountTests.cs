using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>Account life cycle against Pebble: find, external account binding, key rollover, deactivation.</summary>
public sealed class AccountTests
{
    [SkippableFact]
    public async Task An_existing_account_is_found_by_its_key_and_an_unknown_key_finds_none()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var client = await AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None);
        using var key = AccountKey.Generate();
        using var otherKey = AccountKey.Generate();

        var created = await client.NewAccountAsync(key, ["a@securecam.test"], true, CancellationToken.None);
        var found = await client.FindAccountAsync(key, CancellationToken.None);
        var again = await client.NewAccountAsync(key, ["a@securecam.test"], true, CancellationToken.None);

        Assert.True(created.Created);
        Assert.Equal(created.Location, found.Location);
        Assert.False(again.Created);
        Assert.Equal(created.Location, again.Location);
        Assert.Equal(AcmeStatus.Valid, found.Resource.Status);
        var missing = await Assert.ThrowsAsync<AcmeProblemException>(() => client.FindAccountAsync(otherKey, CancellationToken.None));
        Assert.Equal("accountDoesNotExist", missing.ProblemType);
    }

    [SkippableFact]
    public async Task Key_rollover_moves_the_account_to_the_new_key_and_deactivation_ends_it()
    {
        await using var pebble = await PebbleServer.StartAsync();
        using var client = await AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None);
        using var oldKey = AccountKey.Generate();
        using var newKey = AccountKey.Generate();
        var account = await client.NewAccountAsync(oldKey, [], true, CancellationToken.None);

        var rolled = await client.ChangeAccountKeyAsync(account, newKey, CancellationToken.None);

        Assert.Equal(account.Location, (await client.FindAccountAsync(newKey, CancellationToken.None)).Location);
        var byOldKey = await Assert.ThrowsAsync<AcmeProblemException>(() => client.FindAccountAsync(oldKey, CancellationToken.None));
        Assert.Equal("accountDoesNotExist", byOldKey.ProblemType);
        var order = await client.NewOrderAsync(rolled, [AcmeIdentifier.For("rolled.securecam.test")], CancellationToken.None);
        Assert.Equal(AcmeStatus.Pending, order.Status);

        var deactivated = await client.DeactivateAccountAsync(rolled, CancellationToken.None);

        Assert.Equal(AcmeStatus.Deactivated, deactivated.Resource.Status);
        var refused = await Assert.ThrowsAsync<AcmeProblemException>(
            () => client.NewOrderAsync(rolled, [AcmeIdentifier.For("rolled.securecam.test")], CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [SkippableFact]
    public async Task External_account_binding_is_required_checked_and_accepted()
    {
        const string macKey = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
        await using var pebble = await PebbleServer.StartAsync(new PebbleOptions
        {
            ExternalAccountMacKeys = new Dictionary<string, string> { ["kid-1"] = macKey },
        });
        using var client = await AcmeClient.CreateAsync(pebble.ClientOptions(), CancellationToken.None);
        using var key = AccountKey.Generate();

        Assert.True(client.Directory.Meta?.ExternalAccountRequired);
        await Assert.ThrowsAsync<AcmeException>(() => client.NewAccountAsync(key, [], true, CancellationToken.None));
        var wrongMac = ExternalAccountBindingKey.FromBase64Url("kid-1", "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH");
        var refused = await Assert.ThrowsAsync<AcmeProblemException>(
            () => client.NewAccountAsync(key, [], true, CancellationToken.None, wrongMac));
        Assert.Equal("unauthorized", refused.ProblemType);

        var account = await client.NewAccountAsync(key, ["eab@securecam.test"], true, CancellationToken.None, ExternalAccountBindingKey.FromBase64Url("kid-1", macKey));

        Assert.True(account.Created);
        Assert.Equal(AcmeStatus.Valid, account.Resource.Status);
    }
}
