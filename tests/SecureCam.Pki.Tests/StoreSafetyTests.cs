using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

/// <summary>Bad input and dangerous states: one clear error, and nothing on disk changes.</summary>
public sealed class StoreSafetyTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Secrets_are_0600_and_public_files_0644()
    {
        using var test = new TestCa();
        var client = test.Ca.IssueClient("phone");
        Assert.Equal(AtomicFile.Secret, File.GetUnixFileMode(test.Store.CaKeyPath));
        Assert.Equal(AtomicFile.Secret, File.GetUnixFileMode(test.Store.IndexPath));
        Assert.Equal(AtomicFile.Secret, File.GetUnixFileMode(client.KeyPath));
        Assert.Equal(AtomicFile.Secret, File.GetUnixFileMode(client.Pkcs12Path!));
        Assert.Equal(AtomicFile.Public, File.GetUnixFileMode(test.Store.CaCertificatePath));
        Assert.Equal(AtomicFile.Public, File.GetUnixFileMode(test.Store.CrlPath));
        Assert.Equal(AtomicFile.Public, File.GetUnixFileMode(client.CertificatePath));
        Assert.Equal(AtomicFile.Public, File.GetUnixFileMode(client.ChainPath));

        // No temporary files are left behind.
        Assert.Empty(Directory.EnumerateFiles(test.Store.Directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void No_ca_yet_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var store = PkiStore.Open(temp.Combine("pki"));
        var error = Assert.Throws<PkiException>(() => CertificateAuthority.Load(store, null));
        Assert.Contains("no CA", error.Message);
        Assert.Contains("init", error.Message);
    }

    [Fact]
    public void An_existing_name_is_refused_and_its_files_are_untouched()
    {
        using var test = new TestCa();
        var first = test.Ca.IssueClient("phone");
        var before = Snapshot(test.Store.Directory);

        var error = Assert.Throws<PkiException>(() => test.Ca.IssueClient("phone"));
        Assert.Contains("already exists", error.Message);
        Assert.Throws<PkiException>(() => test.Ca.IssueServer("phone", ["cam.lan"], []));
        Assert.Equal(before, Snapshot(test.Store.Directory));
        Assert.Single(test.Store.ReadIndex().Entries);
        Assert.Equal(first.Entry.Serial, test.Store.ReadIndex().Entries[0].Serial);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("ümlaut")]
    [InlineData("x\\y")]
    public void Invalid_names_are_refused(string name)
    {
        using var test = new TestCa();
        var error = Assert.Throws<PkiException>(() => test.Ca.IssueClient(name));
        Assert.Contains("invalid name", error.Message);
        Assert.Empty(test.Store.ReadIndex().Entries);
    }

    [Fact]
    public void A_corrupt_index_is_refused_and_left_as_it_is()
    {
        using var test = new TestCa();
        test.Ca.IssueDevice("cam");
        var broken = File.ReadAllText(test.Store.IndexPath)[..40];
        File.WriteAllText(test.Store.IndexPath, broken);
        var before = Snapshot(test.Store.Directory);

        var error = Assert.Throws<PkiException>(() => test.Ca.IssueDevice("cam2"));
        Assert.Contains("corrupt", error.Message);
        Assert.Equal(before, Snapshot(test.Store.Directory));
    }

    [Fact]
    public void A_foreign_json_file_is_refused()
    {
        using var test = new TestCa();
        File.WriteAllText(test.Store.IndexPath, "{\"name\":\"something else\",\"entries\":[]}");
        var error = Assert.Throws<PkiException>(() => test.Ca.IssueDevice("cam"));
        Assert.Contains("not a securecam-pki index", error.Message);
    }

    [Fact]
    public void Another_cas_index_is_refused()
    {
        using var mine = new TestCa();
        using var other = new TestCa();
        other.Ca.IssueDevice("theirs");
        File.Copy(other.Store.IndexPath, mine.Store.IndexPath, overwrite: true);
        var before = Snapshot(mine.Store.Directory);

        var error = Assert.Throws<PkiException>(() => mine.Ca.IssueDevice("cam"));
        Assert.Contains("belongs to another CA", error.Message);
        Assert.Equal(before, Snapshot(mine.Store.Directory));
    }

    [Fact]
    public void A_wrong_passphrase_is_one_line_and_writes_nothing()
    {
        using var test = new TestCa(passphrase: "right passphrase");
        Assert.Contains("ENCRYPTED PRIVATE KEY", File.ReadAllText(test.Store.CaKeyPath));
        Assert.True(CertificateAuthority.IsKeyEncrypted(test.Store));
        var before = Snapshot(test.Store.Directory);

        var error = Assert.Throws<PkiException>(() => CertificateAuthority.Load(test.Store, "wrong passphrase"));
        Assert.Equal("wrong CA passphrase (cannot decrypt " + test.Store.CaKeyPath + ")", error.Message);
        var missing = Assert.Throws<PkiException>(() => CertificateAuthority.Load(test.Store, null));
        Assert.Contains("encrypted", missing.Message);
        Assert.Equal(before, Snapshot(test.Store.Directory));

        using var loaded = CertificateAuthority.Load(test.Store, "right passphrase");
        loaded.IssueDevice("cam");
    }

    [SkippableFact]
    public async Task The_encrypted_ca_key_is_standard_pkcs8_that_openssl_opens()
    {
        using var test = new TestCa(passphrase: "open sesame");
        await OpenSslCli.RunOkAsync("pkey", "-in", test.Store.CaKeyPath, "-passin", "pass:open sesame", "-noout");
        var wrong = await OpenSslCli.RunAsync("pkey", "-in", test.Store.CaKeyPath, "-passin", "pass:nope", "-noout");
        Assert.NotEqual(0, wrong.ExitCode);
    }

    [Fact]
    public async Task The_lock_is_exclusive_and_a_waiter_gives_up_at_its_deadline()
    {
        using var test = new TestCa();
        using (test.Store.Lock())
        {
            var error = await Assert.ThrowsAsync<PkiException>(() => test.Store.LockAsync(TimeSpan.FromMilliseconds(200)));
            Assert.Contains("busy", error.Message);
        }

        using var again = await test.Store.LockAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Threads_issuing_at_once_leave_distinct_entries()
    {
        using var test = new TestCa();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => test.Ca.IssueDevice($"cam{i}"))));
        var index = test.Store.ReadIndex();
        Assert.Equal(8, index.Entries.Select(e => e.Name).Distinct().Count());
        Assert.Equal(8, index.Entries.Select(e => e.Serial).Distinct().Count());
    }

    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != ".lock")
            .ToDictionary(f => f, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
