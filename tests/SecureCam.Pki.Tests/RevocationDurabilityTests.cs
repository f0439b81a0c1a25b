using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

/// <summary>Once published, a revocation survives restored files, retries, crashes and hand-edited indexes.</summary>
public sealed class RevocationDurabilityTests
{
    private static RevocationList Published(TestCa test) => RevocationList.Load(File.ReadAllBytes(test.Store.CrlPath), test.Ca.Certificate);

    [Fact]
    public void A_restored_older_index_never_makes_the_next_crl_lift_a_revocation()
    {
        using var test = new TestCa();
        var warnings = new List<string>();
        test.Ca.Warning = warnings.Add;
        var lost = test.Ca.IssueClient("lost-phone");
        var other = test.Ca.IssueClient("other-phone");
        var backup = File.ReadAllBytes(test.Store.IndexPath);
        test.Ca.Revoke("lost-phone", X509RevocationReason.KeyCompromise);
        var published = Published(test);

        // The owner restores index.json from the backup taken before the revoke, then revokes another.
        File.WriteAllBytes(test.Store.IndexPath, backup);
        test.Ca.Revoke("other-phone");

        var crl = Published(test);
        Assert.True(crl.IsRevoked(lost.Certificate));
        Assert.Equal(X509RevocationReason.KeyCompromise, crl.Find(lost.Entry.Serial)!.Reason);
        Assert.True(crl.IsRevoked(other.Certificate));
        Assert.True(crl.Number > published.Number);
        Assert.True(test.Store.ReadIndex().FindLatest("lost-phone")!.IsRevoked);
        Assert.Contains(warnings, w => w.Contains("lacked 1 revocation", StringComparison.Ordinal));
    }

    [Fact]
    public void A_restored_index_with_unknown_revoked_serials_keeps_them_as_bare_serials()
    {
        using var test = new TestCa();
        var initial = File.ReadAllBytes(test.Store.IndexPath);
        var gone = test.Ca.IssueClient("gone");
        test.Ca.Revoke("gone");

        // The backup predates the certificate itself: the index has never heard of its serial.
        File.WriteAllBytes(test.Store.IndexPath, initial);
        var crl = test.Ca.WriteCrl();

        Assert.True(crl.IsRevoked(gone.Certificate));
        var index = test.Store.ReadIndex();
        Assert.Null(index.FindBySerial(gone.Entry.Serial));
        Assert.NotNull(index.FindRevocation(gone.Entry.Serial));
    }

    [Fact]
    public void Revoking_twice_keeps_the_first_revocation_and_rewrites_nothing()
    {
        using var test = new TestCa();
        test.Ca.IssueDevice("cam");
        var first = test.Ca.Revoke("cam", X509RevocationReason.KeyCompromise);
        var crlBytes = File.ReadAllBytes(test.Store.CrlPath);

        var second = test.Ca.Revoke("cam", X509RevocationReason.Superseded);
        Assert.False(first.AlreadyRevoked);
        Assert.True(second.AlreadyRevoked);
        Assert.Equal(first.RevokedAt, second.RevokedAt);
        Assert.Equal(X509RevocationReason.KeyCompromise, second.Reason);
        Assert.Equal(crlBytes, File.ReadAllBytes(test.Store.CrlPath));
    }

    [Fact]
    public void A_retry_after_a_crash_between_index_and_crl_publishes_the_revocation()
    {
        using var test = new TestCa();
        var cam = test.Ca.IssueDevice("cam");
        var before = File.ReadAllBytes(test.Store.CrlPath);
        test.Ca.Revoke("cam");

        // What a crash after index.json was written and before crl.pem was leaves behind.
        File.WriteAllBytes(test.Store.CrlPath, before);
        Assert.False(Published(test).IsRevoked(cam.Certificate));

        Assert.True(test.Ca.Revoke("cam").AlreadyRevoked);
        Assert.True(Published(test).IsRevoked(cam.Certificate));
    }

    [SkippableTheory]
    [InlineData("CAFE0001")]
    [InlineData("80:11:22")]
    [InlineData("0x7fffffffffffffffffffffffffffffff")]
    public async Task A_serial_missing_from_the_index_is_revoked_and_stays_on_every_crl(string serial)
    {
        using var test = new TestCa();
        var warnings = new List<string>();
        test.Ca.Warning = warnings.Add;
        var revocation = test.Ca.Revoke(serial);
        Assert.Null(revocation.Name);
        Assert.Single(warnings);

        test.Ca.IssueClient("later");
        test.Ca.Revoke("later");
        var crl = test.Ca.WriteCrl();
        Assert.True(crl.IsRevoked(serial));
        Assert.True(test.Ca.Revoke(serial).AlreadyRevoked);

        // openssl reads it as a positive serial (a top bit set gets its leading zero byte).
        var text = await OpenSslCli.RunOkAsync("crl", "-in", test.Store.CrlPath, "-CAfile", test.Store.CaCertificatePath, "-noout", "-text");
        Assert.Contains("verify OK", text);
        Assert.Contains("Serial Number: " + SerialNumbers.Normalize(serial)!.PadLeft(2, '0'), text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crl_pem_that_does_not_verify_is_never_replaced_by_a_shorter_one()
    {
        using var test = new TestCa();
        test.Ca.IssueDevice("cam");
        test.Ca.Revoke("cam");
        var damaged = File.ReadAllBytes(test.Store.CrlPath);
        damaged[damaged.Length / 2] ^= 0x04;
        File.WriteAllBytes(test.Store.CrlPath, damaged);

        var error = Assert.Throws<PkiException>(() => test.Ca.WriteCrl());
        Assert.Contains("move it away", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(damaged, File.ReadAllBytes(test.Store.CrlPath));
    }

    [Fact]
    public void Concurrent_revokes_of_many_names_and_serials_all_end_on_the_crl()
    {
        using var test = new TestCa();
        var names = Enumerable.Range(0, 8).Select(i => $"phone-{i}").ToList();
        foreach (var name in names)
        {
            test.Ca.IssueClient(name);
        }

        var targets = names.Concat(names).Concat(Enumerable.Range(1, 8).Select(i => $"ABCDEF{i:D2}")).ToList();
        Parallel.ForEach(targets, new ParallelOptions { MaxDegreeOfParallelism = 4 }, target => test.Ca.Revoke(target));

        var crl = Published(test);
        Assert.Equal(16, crl.Revoked.Count);
        Assert.All(names, n => Assert.True(crl.IsRevoked(test.Store.ReadIndex().FindLatest(n)!.Serial)));
    }

    [Fact]
    public void Hostile_index_files_are_one_line_errors_never_crashes()
    {
        using var test = new TestCa();
        test.Ca.IssueClient("alice");
        test.Ca.Revoke("alice");
        var good = File.ReadAllText(test.Store.IndexPath);
        var random = new Random(1605);
        var hostile = new List<string>
        {
            "", "null", "[]", "{}", "\"x\"", new string('[', 5000), "{\"format\":\"securecam-pki-index\"}",
            Replace(good, "\"entries\": [", "\"entries\": [null,"),
            Replace(good, "\"entries\": [", "\"entries\": [{},"),
            Replace(good, "\"revokedSerials\": []", "\"revokedSerials\": null"),
            Replace(good, "\"revokedSerials\": []", "\"revokedSerials\": [null]"),
            Replace(good, "\"revokedSerials\": []", "\"revokedSerials\": [{\"serial\":\"zz\",\"revokedAt\":\"2026-01-01T00:00:00Z\"}]"),
            Replace(good, "\"dnsNames\": [", "\"dnsNames\": null, \"x\": ["),
            Replace(good, "\"ipAddresses\": []", "\"ipAddresses\": [\"not-an-ip\"]"),
            Replace(good, "\"kind\": \"client\"", "\"kind\": \"toaster\""),
            Replace(good, "\"version\": 1", "\"version\": 99999999999999"),
            Replace(good, "\"serial\": \"", "\"serial\": \"-"),
        };
        for (var i = 0; i < 300; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(good);
            var flips = random.Next(1, 6);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            hostile.Add(Encoding.UTF8.GetString(bytes));
            hostile.Add(good[..random.Next(good.Length)]);
        }

        foreach (var text in hostile)
        {
            File.WriteAllText(test.Store.IndexPath, text);
            try
            {
                var index = test.Store.ReadIndex();
                _ = index.AllRevocations().Count();
                _ = test.Ca.WriteCrl();
            }
            catch (PkiException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_home_and_issued_folders_are_private()
    {
        using var test = new TestCa();
        test.Ca.IssueClient("alice");
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(mode, File.GetUnixFileMode(test.Store.Directory));
        Assert.Equal(mode, File.GetUnixFileMode(test.Store.IssuedDirectory));
        Assert.Equal(mode, File.GetUnixFileMode(test.Store.EntryDirectory("alice")));
    }

    private static string Replace(string text, string what, string with)
    {
        Assert.Contains(what, text, StringComparison.Ordinal);
        return text.Replace(what, with, StringComparison.Ordinal);
    }
}
