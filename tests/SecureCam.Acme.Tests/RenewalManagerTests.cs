using SecureCam.Acme.Tests.Support;

namespace SecureCam.Acme.Tests;

/// <summary>
/// The maintenance loop against Pebble issuing 100-second certificates: renewal is due when half the
/// lifetime is left (lifetimes under ten days), so about 50 s after each issuance.
/// </summary>
public sealed class RenewalManagerTests
{
    [SkippableFact]
    public async Task The_manager_issues_stores_and_then_renews_by_itself()
    {
        await using var rig = await ManagerRig.StartAsync();
        var manager = rig.Manager;
        var storage = rig.Storage;
        var changes = new List<string>();
        manager.CertificateChanged += (_, e) => { lock (changes) { changes.Add(e.Certificate.SerialNumber); } };
        rig.Run();

        await rig.WaitUntilAsync(() => manager.Current is not null && manager.Status.RenewalDue is not null);
        var first = manager.Current!;
        var status = manager.Status;
        Assert.Equal(AcmeManagerState.Valid, status.State);
        Assert.Equal("lifetime", status.RenewalBasis);
        var expectedDue = first.NotAfter - ((first.NotAfter - first.NotBefore) / 2);
        Assert.Equal(expectedDue, status.RenewalDue);
        Assert.Equal(first.SerialNumber, storage.LoadCertificate("cam.securecam.test")!.SerialNumber);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(storage.KeyPath("cam.securecam.test")));
        }

        await rig.WaitUntilAsync(() => manager.Current!.SerialNumber != first.SerialNumber);

        var renewed = manager.Current!;
        Assert.True(renewed.NotAfter > first.NotAfter);
        Assert.True(manager.Status.LastRenewal >= expectedDue, $"status: {manager.Status}");
        Assert.Null(manager.Status.LastError);
        Assert.Equal(renewed.SerialNumber, storage.LoadCertificate("cam.securecam.test")!.SerialNumber);
        lock (changes)
        {
            Assert.Equal([first.SerialNumber, renewed.SerialNumber], changes);
        }
    }
}
