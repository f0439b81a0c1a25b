using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Server.Tests.Support;
using SecureCam.Server.Tls;

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
        var monitor = new RevocationMonitor(paths, ca, TimeProvider.System, NullLogger<RevocationMonitor>.Instance);
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
        var monitor = new RevocationMonitor(paths, ca, TimeProvider.System, NullLogger<RevocationMonitor>.Instance);
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
}
