using SecureCam.Pki;
using SecureCam.TestSupport;

namespace SecureCam.PkiTool.Tests;

public sealed class ConcurrencyTests
{
    /// <summary>20 separate processes issuing at once: the store lock must serialise them all.</summary>
    [SkippableFact]
    public async Task Twenty_issue_client_processes_at_once_leave_twenty_entries()
    {
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        await PkiToolRunner.RunOkAsync(pki, "init", "--no-passphrase");

        var names = Enumerable.Range(1, 20).Select(i => $"phone{i:00}").ToList();
        var results = await Task.WhenAll(names.Select(name => PkiToolRunner.RunAsync(pki, "issue-client", name)));
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));

        var index = PkiStore.Open(pki).ReadIndex();
        Assert.Equal(names.Order(), index.Entries.Select(e => e.Name).Order());
        Assert.Equal(20, index.Entries.Select(e => e.Serial).Distinct().Count());
        foreach (var name in names)
        {
            Assert.True(File.Exists(Path.Combine(pki, "issued", name, name + ".p12")), name);
        }

        // Each process printed its own password, and it opens that process's own .p12.
        var passwords = results.Select(PkiToolRunner.PasswordFrom).ToList();
        Assert.Equal(20, passwords.Distinct().Count());
        var sample = results[7];
        var sampleName = names[7];
        Assert.Contains($"'{sampleName}'", sample.StandardOutput);
        await OpenSslCli.RunOkAsync("pkcs12", "-in", Path.Combine(pki, "issued", sampleName, sampleName + ".p12"), "-passin", "pass:" + passwords[7], "-noout");
        Assert.Empty(Directory.GetDirectories(Path.Combine(pki, "issued"), ".*"));
    }
}
