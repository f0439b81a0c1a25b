using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Pki;
using SecureCam.Server.Tests.Support;
using SecureCam.Server.Tls;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>The live CRL: follows crl.pem, and nothing written there can un-revoke a certificate.</summary>
public sealed class RevocationMonitorTests
{
    [Fact]
    public void A_new_crl_is_picked_up_and_a_broken_forged_or_deleted_one_never_unrevokes()
    {
        using var pki = new TestPki();
        var alice = pki.IssueClient("alice");
        var paths = new ServerPkiPaths(pki.Directory, "server");
        var ca = new LocalCaCertificate(paths.CaCertificate, NullLogger<LocalCaCertificate>.Instance);
        var monitor = new RevocationMonitor(paths, ca, NullLogger<RevocationMonitor>.Instance);
        var changes = 0;
        monitor.Changed += (_, _) => changes++;
        Assert.False(monitor.IsRevoked(alice.Certificate));

        pki.Revoke("alice");
        monitor.ReloadIfChanged();
        Assert.True(monitor.IsRevoked(alice.Certificate));
        Assert.Equal(1, changes);
        var revokedCrl = File.ReadAllBytes(paths.Crl);

        // Garbage: refused, the list in force stays.
        File.WriteAllText(paths.Crl, "-----BEGIN X509 CRL-----\nnot a crl\n-----END X509 CRL-----\n");
        Assert.ThrowsAny<Exception>(monitor.ReloadIfChanged);
        Assert.True(monitor.IsRevoked(alice.Certificate));

        // An empty CRL signed by another CA: its signature does not verify, so it is refused too.
        var stranger = new TestPki();
        try
        {
            File.Copy(stranger.Store.CrlPath, paths.Crl, overwrite: true);
            File.SetLastWriteTimeUtc(paths.Crl, DateTime.UtcNow.AddSeconds(5));
            Assert.ThrowsAny<Exception>(monitor.ReloadIfChanged);
            Assert.True(monitor.IsRevoked(alice.Certificate));
        }
        finally
        {
            stranger.Dispose();
        }

        // Deleted: still revoked.
        File.Delete(paths.Crl);
        monitor.ReloadIfChanged();
        Assert.True(monitor.IsRevoked(alice.Certificate));

        // A good CRL again: loaded, and a reload without a change does nothing.
        File.WriteAllBytes(paths.Crl, revokedCrl);
        monitor.ReloadIfChanged();
        monitor.ReloadIfChanged();
        Assert.True(monitor.IsRevoked(alice.Certificate));
        Assert.Equal(2, changes);
    }

    [Fact]
    public void An_older_crl_signed_by_the_same_ca_does_not_lift_later_revocations()
    {
        using var pki = new TestPki();
        var alice = pki.IssueClient("alice");
        var paths = new ServerPkiPaths(pki.Directory, "server");
        var ca = new LocalCaCertificate(paths.CaCertificate, NullLogger<LocalCaCertificate>.Instance);
        var monitor = new RevocationMonitor(paths, ca, NullLogger<RevocationMonitor>.Instance);
        monitor.ReloadIfChanged();
        var beforeRevocation = File.ReadAllBytes(paths.Crl);

        pki.Revoke("alice");
        monitor.ReloadIfChanged();
        Assert.True(monitor.IsRevoked(alice.Certificate));

        // A restored backup: a genuine signature, but a lower CRL number than the list in force.
        File.WriteAllBytes(paths.Crl, beforeRevocation);
        File.SetLastWriteTimeUtc(paths.Crl, DateTime.UtcNow.AddSeconds(5));
        monitor.ReloadIfChanged();
        Assert.True(monitor.IsRevoked(alice.Certificate));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_crl_rebuilt_from_restored_files_never_lifts_a_revocation_not_even_after_a_restart()
    {
        using var pki = new TestPki();
        var alice = pki.IssueClient("alice");
        var bob = pki.IssueClient("bob");
        var paths = new ServerPkiPaths(pki.Directory, "server");
        var ca = new LocalCaCertificate(paths.CaCertificate, NullLogger<LocalCaCertificate>.Instance);
        var monitor = new RevocationMonitor(paths, ca, NullLogger<RevocationMonitor>.Instance);
        var indexBackup = File.ReadAllBytes(pki.Store.IndexPath);
        var crlBackup = File.ReadAllBytes(paths.Crl);

        pki.Revoke("alice");
        monitor.ReloadIfChanged();
        Assert.True(monitor.IsRevoked(alice.Certificate));

        // Both files restored from the backup, then two genuine CRLs with higher numbers that lack alice.
        File.WriteAllBytes(pki.Store.IndexPath, indexBackup);
        File.WriteAllBytes(paths.Crl, crlBackup);
        using (var authority = pki.OpenCa())
        {
            authority.WriteCrl();
            authority.WriteCrl();
            authority.Revoke("bob");
        }

        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var lifted = RevocationList.Load(File.ReadAllBytes(paths.Crl), ca.Certificate);
        Assert.False(lifted.IsRevoked(alice.Certificate));
        monitor.ReloadIfChanged();
        Assert.True(monitor.IsRevoked(alice.Certificate));
        Assert.True(monitor.IsRevoked(bob.Certificate));

        // A restart: a new monitor reads the same files and the server's memory.
        var restarted = new RevocationMonitor(paths, new LocalCaCertificate(paths.CaCertificate, NullLogger<LocalCaCertificate>.Instance), factory.CreateLogger<RevocationMonitor>());
        Assert.True(restarted.IsRevoked(alice.Certificate));
        Assert.True(restarted.IsRevoked(bob.Certificate));
        Assert.Contains(logs.Lines, l => l.Contains("leaves out 1 serial(s)", StringComparison.Ordinal));
        Assert.Equal(AtomicFile.Secret, File.GetUnixFileMode(paths.SeenRevocations));
    }

    [Fact]
    public void A_missing_crl_for_a_ca_that_has_issued_stops_the_start()
    {
        using var pki = new TestPki();
        pki.IssueClient("alice");
        var paths = new ServerPkiPaths(pki.Directory, "server");
        File.Delete(paths.Crl);
        var ca = new LocalCaCertificate(paths.CaCertificate, NullLogger<LocalCaCertificate>.Instance);
        var error = Assert.Throws<PkiException>(() => new RevocationMonitor(paths, ca, NullLogger<RevocationMonitor>.Instance));
        Assert.Contains("crl.pem is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("securecam-pki crl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_memory_of_revocations_stops_the_start_and_hostile_ones_never_crash()
    {
        using var pki = new TestPki();
        var paths = new ServerPkiPaths(pki.Directory, "server");
        var ca = new LocalCaCertificate(paths.CaCertificate, NullLogger<LocalCaCertificate>.Instance);
        _ = new RevocationMonitor(paths, ca, NullLogger<RevocationMonitor>.Instance);
        var good = File.ReadAllText(paths.SeenRevocations);
        var random = new Random(16);
        var hostile = new List<string> { "", "null", "[]", "{}", "{\"format\":\"securecam-seen-revocations\",\"authorities\":{\"x\":null}}", new string('{', 10_000) };
        for (var i = 0; i < 200; i++)
        {
            var chars = good.ToCharArray();
            chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
            hostile.Add(new string(chars));
            hostile.Add(good[..random.Next(good.Length)]);
        }

        foreach (var text in hostile)
        {
            File.WriteAllText(paths.SeenRevocations, text);
            try
            {
                _ = new RevocationMonitor(paths, ca, NullLogger<RevocationMonitor>.Instance);
            }
            catch (PkiException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }
    }
}
