using SecureCam.TestSupport;

namespace SecureCam.PkiTool.Tests;

/// <summary>One shared PKI (with a client "taken") that every bad command must leave exactly as it was.</summary>
public sealed class ErrorFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("securecam-pkitool");

    public string Pki => _temp.Combine("pki");

    public async Task InitializeAsync()
    {
        await PkiToolRunner.RunOkAsync(Pki, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(Pki, "issue-client", "taken");
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class CliErrorTests : IClassFixture<ErrorFixture>
{
    private readonly ErrorFixture _fixture;

    public CliErrorTests(ErrorFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData("'taken' already exists", "issue-client", "taken")]
    [InlineData("invalid name", "issue-client", "../escape")]
    [InlineData("invalid name", "issue-device", "has space")]
    [InlineData("is not an IP address", "issue-server", "s", "--ip", "999.1.1.1")]
    [InlineData("do not permit the DNS name 'www.example.com'", "issue-server", "s", "--dns", "www.example.com")]
    [InlineData("at least one --dns or --ip", "issue-server", "s")]
    [InlineData("1-825 days", "issue-server", "s", "--dns", "cam.lan", "--days", "826")]
    [InlineData("--role", "issue-client", "c", "--role", "owner")]
    [InlineData("--p12-format", "issue-client", "c", "--p12-format", "rc2")]
    [InlineData("--reason", "revoke", "taken", "--reason", "because")]
    [InlineData("no certificate named 'ghost'", "revoke", "ghost")]
    [InlineData("--days", "issue-client", "c", "--days", "99999999999")]
    [InlineData("--days", "issue-client", "c", "--days", "ten")]
    [InlineData("--days: -5 is out of range", "issue-client", "c", "--days", "-5")]
    [InlineData("Unrecognized command or argument", "issue-client", "c", "--frobnicate")]
    [InlineData("no client named 'ghost'", "export-profile", "ghost")]
    [InlineData("does not open", "export-profile", "taken", "--embed-password", "wrong")]
    [InlineData("no such file", "verify", "/nonexistent/cert.pem")]
    [InlineData("already holds a CA", "init", "--no-passphrase")]
    public async Task Bad_input_is_one_line_and_changes_nothing(string expected, params string[] arguments)
    {
        var before = StoreSnapshot.Take(_fixture.Pki);
        var result = await PkiToolRunner.RunAsync(_fixture.Pki, arguments);
        PkiToolRunner.AssertOneLineError(result, expected);
        Assert.Equal(before, StoreSnapshot.Take(_fixture.Pki));
    }

    [SkippableFact]
    public async Task No_ca_yet_is_one_line_and_creates_nothing()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("empty");
        foreach (var arguments in new[] { new[] { "issue-client", "x" }, ["list"], ["crl"], ["export-ca"] })
        {
            var result = await PkiToolRunner.RunAsync(pki, arguments);
            PkiToolRunner.AssertOneLineError(result, "no CA in");
        }

        Assert.Empty(StoreSnapshot.Take(pki));
    }

    [Fact]
    public async Task A_corrupt_or_foreign_index_is_refused_and_kept()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");
        var cases = new[]
        {
            ("{ this is not json", "is corrupt"),
            ("{\"format\":\"securecam-pki-index\",\"version\":1", "is corrupt"),
            ("{\"certificates\":[]}", "not a securecam-pki index"),
            ("[1,2,3]", "not a securecam-pki index"),
        };
        foreach (var (content, expected) in cases)
        {
            File.WriteAllText(Path.Combine(pki, "index.json"), content);
            var before = StoreSnapshot.Take(pki);
            PkiToolRunner.AssertOneLineError(await PkiToolRunner.RunAsync(pki, "issue-client", "c"), expected);
            Assert.Equal(before, StoreSnapshot.Take(pki));
            Assert.Equal(content, File.ReadAllText(Path.Combine(pki, "index.json")));
        }
    }

    [Fact]
    public async Task Another_cas_certificate_does_not_verify_and_its_index_is_refused()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var mine = temp.Combine("mine");
        var other = temp.Combine("other");
        await PkiToolRunner.RunOkAsync(mine, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(other, "init", "--no-passphrase");
        await PkiToolRunner.RunOkAsync(other, "issue-device", "stranger");

        var verify = await PkiToolRunner.RunAsync(mine, "verify", Path.Combine(other, "issued", "stranger", "cert.pem"));
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("INVALID:", verify.StandardOutput);

        File.Copy(Path.Combine(other, "index.json"), Path.Combine(mine, "index.json"), overwrite: true);
        var before = StoreSnapshot.Take(mine);
        PkiToolRunner.AssertOneLineError(await PkiToolRunner.RunAsync(mine, "issue-device", "cam"), "belongs to another CA");
        Assert.Equal(before, StoreSnapshot.Take(mine));
    }

    [Fact]
    public async Task Verbose_adds_the_detail()
    {
        var result = await PkiToolRunner.RunAsync(_fixture.Pki, "--verbose", "issue-client", "taken");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("PkiException", result.StandardError);
    }
}
