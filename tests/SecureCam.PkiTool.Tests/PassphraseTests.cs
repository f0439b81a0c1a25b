using SecureCam.TestSupport;

namespace SecureCam.PkiTool.Tests;

/// <summary>The CA passphrase: environment, file, and no prompt when there is no terminal.</summary>
public sealed class PassphraseTests
{
    [SkippableFact]
    public async Task Environment_and_file_work_and_a_wrong_one_writes_nothing()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        var right = new Dictionary<string, string?> { ["SECURECAM_PKI_PASSPHRASE"] = "tulip garden 42" };
        var init = await PkiToolRunner.RunWithAsync(pki, right, null, "init");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", File.ReadAllText(Path.Combine(pki, "ca.key")));
        await OpenSslCli.RunOkAsync("pkey", "-in", Path.Combine(pki, "ca.key"), "-passin", "pass:tulip garden 42", "-noout");

        var ok = await PkiToolRunner.RunWithAsync(pki, right, null, "issue-client", "first");
        Assert.True(ok.ExitCode == 0, ok.ToString());

        var before = StoreSnapshot.Take(pki);
        var wrong = await PkiToolRunner.RunWithAsync(pki, new Dictionary<string, string?> { ["SECURECAM_PKI_PASSPHRASE"] = "tulip garden 43" }, null, "issue-client", "second");
        PkiToolRunner.AssertOneLineError(wrong, "wrong CA passphrase");
        Assert.Equal(before, StoreSnapshot.Take(pki));

        // No passphrase and no terminal (the test's stdin is a pipe): a clear error, never a hang.
        var none = await PkiToolRunner.RunAsync(pki, "issue-client", "second");
        PkiToolRunner.AssertOneLineError(none, "SECURECAM_PKI_PASSPHRASE");
        Assert.Equal(before, StoreSnapshot.Take(pki));

        var file = temp.Combine("passphrase.txt");
        await File.WriteAllTextAsync(file, "tulip garden 42\n");
        await PkiToolRunner.RunOkAsync(pki, "--passphrase-file", file, "issue-client", "second");

        await File.WriteAllTextAsync(file, "nope\n");
        PkiToolRunner.AssertOneLineError(await PkiToolRunner.RunAsync(pki, "--passphrase-file", file, "revoke", "first"), "wrong CA passphrase");

        // Both sources at once: refused, whichever is right, so one never silently wins over the other.
        await File.WriteAllTextAsync(file, "tulip garden 42\n");
        before = StoreSnapshot.Take(pki);
        var both = await PkiToolRunner.RunWithAsync(pki, right, null, "--passphrase-file", file, "revoke", "first");
        PkiToolRunner.AssertOneLineError(both, "both SECURECAM_PKI_PASSPHRASE and --passphrase-file");
        Assert.Equal(before, StoreSnapshot.Take(pki));
    }

    [Fact]
    public async Task Init_without_any_passphrase_source_makes_nothing()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        PkiToolRunner.AssertOneLineError(await PkiToolRunner.RunAsync(pki, "init"), "SECURECAM_PKI_PASSPHRASE");
        Assert.False(File.Exists(Path.Combine(pki, "ca.key")));
        Assert.False(File.Exists(Path.Combine(pki, "ca.crt")));
    }
}
