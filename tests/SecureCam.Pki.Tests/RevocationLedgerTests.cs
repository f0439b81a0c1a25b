using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki.Tests;

/// <summary>The one rule for which CRL counts, shared by the server and both ends of telemetry.</summary>
public sealed class RevocationLedgerTests
{
    private static int Writes;

    [Fact]
    public void A_newer_crl_that_leaves_a_serial_out_lifts_none_and_the_gap_is_reported_once()
    {
        using var test = new TestCa();
        var alice = test.Ca.IssueClient("alice");
        var bob = test.Ca.IssueClient("bob");
        var ledger = new RevocationLedger(test.Store.CrlPath, test.Ca.Certificate);
        Assert.Equal(CrlReloadKind.Loaded, ledger.Reload().Kind);
        Assert.Equal(CrlReloadKind.Unchanged, ledger.Reload().Kind);

        test.Ca.Revoke("alice");
        Assert.Equal(CrlReloadKind.Loaded, ledger.Reload().Kind);
        Assert.True(ledger.IsRevoked(alice.Certificate));
        Assert.False(ledger.IsKept(alice.Entry.Serial, out _));

        // Two genuine lists with higher numbers that name bob only: alice stays revoked, reported the first time only.
        WriteHandMadeCrl(test, bob.Certificate, 1000);
        var first = ledger.Reload();
        Assert.Equal(CrlReloadKind.Loaded, first.Kind);
        Assert.Equal([Serial(alice)], first.Gap);
        Assert.True(ledger.IsRevoked(alice.Certificate));
        Assert.True(ledger.IsRevoked(bob.Certificate));
        Assert.True(ledger.IsKept(alice.Entry.Serial, out var kept));
        Assert.Equal(Serial(alice), SerialNumbers.Normalize(kept!.Serial)); // the entry keeps the serial as the list wrote it
        Assert.Equal(1000, (int)ledger.Current!.Number);

        WriteHandMadeCrl(test, bob.Certificate, 1001);
        var second = ledger.Reload();
        Assert.Equal(CrlReloadKind.Loaded, second.Kind);
        Assert.Empty(second.Gap);
        Assert.True(ledger.IsRevoked(alice.Certificate));
        Assert.Equal(2, ledger.RevokedCount);
    }

    [Fact]
    public void An_older_crl_adds_what_it_revokes_but_the_newer_stays_in_force_and_a_forged_or_deleted_one_changes_nothing()
    {
        using var test = new TestCa();
        var alice = test.Ca.IssueClient("alice");
        var bob = test.Ca.IssueClient("bob");
        test.Ca.Revoke("bob");
        var older = File.ReadAllBytes(test.Store.CrlPath);
        using var fresh = new TestCa();
        var ledger = new RevocationLedger(test.Store.CrlPath, test.Ca.Certificate);
        File.Delete(test.Store.CrlPath);
        Assert.Equal(CrlReloadKind.Missing, ledger.Reload().Kind);
        Assert.False(ledger.HasHistory);

        // A list with a high number that revokes alice, then the genuine older list that revokes bob.
        WriteHandMadeCrl(test, alice.Certificate, 50);
        Assert.Equal(CrlReloadKind.Loaded, ledger.Reload().Kind);
        WriteFile(test.Store.CrlPath, older);
        var outcome = ledger.Reload();
        Assert.Equal(CrlReloadKind.Older, outcome.Kind);
        Assert.Equal(50, (int)outcome.PreviousHighest);
        Assert.Equal(50, (int)ledger.Current!.Number);
        Assert.True(ledger.IsRevoked(alice.Certificate));
        Assert.True(ledger.IsRevoked(bob.Certificate));

        // Signed by another CA: refused, and the same file is not read twice.
        WriteFile(test.Store.CrlPath, File.ReadAllBytes(fresh.Store.CrlPath));
        Assert.Throws<PkiException>(() => ledger.Reload());
        Assert.Equal(CrlReloadKind.Unchanged, ledger.Reload().Kind);
        Assert.Equal(50, (int)ledger.Current!.Number);

        File.Delete(test.Store.CrlPath);
        Assert.Equal(CrlReloadKind.Missing, ledger.Reload().Kind);
        Assert.True(ledger.IsRevoked(alice.Certificate));
        Assert.True(ledger.IsRevoked(bob.Certificate));
        Assert.True(ledger.HasHistory);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void With_a_memory_file_what_was_seen_outlives_the_ledger_and_a_corrupt_memory_is_one_line()
    {
        using var test = new TestCa();
        var alice = test.Ca.IssueClient("alice");
        test.Ca.Revoke("alice");
        var memoryPath = Path.Combine(test.Folder, "state", "revocations-seen.json");
        var ledger = new RevocationLedger(test.Store.CrlPath, test.Ca.Certificate, RevocationMemory.Open(memoryPath));
        ledger.Reload();
        Assert.Equal(AtomicFile.Secret, File.GetUnixFileMode(memoryPath));
        Assert.Equal(AtomicFile.PrivateDirectory, File.GetUnixFileMode(Path.GetDirectoryName(memoryPath)!));

        // A later process, before it reads any CRL: the memory alone already revokes alice.
        var restarted = new RevocationLedger(test.Store.CrlPath, test.Ca.Certificate, RevocationMemory.Open(memoryPath));
        Assert.True(restarted.HasHistory);
        Assert.True(restarted.IsRevoked(alice.Certificate));
        Assert.True(restarted.IsKept(alice.Entry.Serial, out var entry));
        Assert.Null(entry);

        File.WriteAllText(memoryPath, "{\"format\":\n");
        var error = Assert.Throws<PkiException>(() => RevocationMemory.Open(memoryPath));
        Assert.DoesNotContain('\n', error.Message);
    }

    private static string Serial(IssuedCertificate issued) => SerialNumbers.Normalize(issued.Entry.Serial)!;

    /// <summary>A genuinely signed CRL naming <paramref name="revoked"/> alone, as a hand-made list or an old tool would write.</summary>
    private static void WriteHandMadeCrl(TestCa test, X509Certificate2 revoked, int number)
    {
        using var caWithKey = X509Certificate2.CreateFromPemFile(test.Store.CaCertificatePath, test.Store.CaKeyPath);
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(revoked, DateTimeOffset.UtcNow);
        var der = builder.Build(caWithKey, number, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256);
        WriteFile(test.Store.CrlPath, der);
    }

    /// <summary>Writes and moves the timestamp on, so the ledger sees a change even within one clock tick.</summary>
    private static void WriteFile(string path, byte[] content)
    {
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(Interlocked.Increment(ref Writes)));
    }
}
