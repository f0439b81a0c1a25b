using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>ACME state on disk: round trips, key file modes, and what a broken pair does.</summary>
public sealed class StorageTests
{
    private static readonly Uri Directory = new("https://acme.test:14000/dir");

    [Fact]
    public void Account_keys_are_created_once_with_mode_0600_and_reused()
    {
        using var temp = new TempDirectory();
        var storage = new AcmeFileStorage(temp.Path);

        using var first = storage.LoadOrCreateAccountKey(Directory);
        using var second = storage.LoadOrCreateAccountKey(Directory);

        Assert.Equal(first.Thumbprint, second.Thumbprint);
        var file = Assert.Single(System.IO.Directory.GetFiles(temp.Path, "account-key.pem", SearchOption.AllDirectories));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Empty(System.IO.Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_certificate_round_trips_and_a_key_that_does_not_match_reads_as_none()
    {
        using var temp = new TempDirectory();
        var storage = new AcmeFileStorage(temp.Path);
        var now = DateTimeOffset.UtcNow;
        using var one = TestCertificates.Leaf("cam.securecam.test", [0x01, 0x02], [0xAA, 0xBB], now, now.AddDays(1));
        using var two = TestCertificates.Leaf("cam.securecam.test", [0x03, 0x04], [0xAA, 0xBB], now, now.AddDays(1));

        storage.SaveCertificate("cam.securecam.test", one);
        using (var loaded = storage.LoadCertificate("cam.securecam.test"))
        {
            Assert.NotNull(loaded);
            Assert.Equal(one.SerialNumber, loaded.SerialNumber);
            Assert.True(loaded.Certificate.HasPrivateKey);
        }

        // A crash between the two writes leaves the new key next to the old chain.
        File.WriteAllText(storage.KeyPath("cam.securecam.test"), two.PrivateKeyPem);
        Assert.Null(storage.LoadCertificate("cam.securecam.test"));
        Assert.Null(storage.LoadCertificate("never-issued.test"));
    }
}
