using System.Security.Cryptography.X509Certificates;
using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

public sealed class RevocationTests
{
    [SkippableFact]
    public async Task Revoke_writes_a_signed_crl_with_a_higher_number_that_lists_the_serial()
    {
        using var test = new TestCa();
        var first = RevocationList.Load(File.ReadAllBytes(test.Store.CrlPath), test.Ca.Certificate);
        var victim = test.Ca.IssueClient("lost-phone");
        var keeper = test.Ca.IssueClient("kept-phone");

        var revoked = test.Ca.Revoke("lost-phone", X509RevocationReason.KeyCompromise);
        Assert.Equal(X509RevocationReason.KeyCompromise, revoked.Reason);
        Assert.False(revoked.AlreadyRevoked);

        var crlText = await OpenSslCli.RunOkAsync("crl", "-in", test.Store.CrlPath, "-CAfile", test.Store.CaCertificatePath, "-noout", "-text");
        Assert.Contains("verify OK", crlText);
        Assert.Contains("Serial Number: " + victim.Entry.Serial, crlText);
        Assert.DoesNotContain(keeper.Entry.Serial, crlText);
        Assert.Contains("Key Compromise", crlText);

        var crl = RevocationList.Load(File.ReadAllBytes(test.Store.CrlPath), test.Ca.Certificate);
        Assert.True(crl.Number > first.Number);
        Assert.True(crl.IsRevoked(victim.Entry.Serial));
        Assert.True(crl.IsRevoked(victim.Certificate));
        Assert.False(crl.IsRevoked(keeper.Certificate));
        Assert.NotNull(crl.NextUpdate);
        Assert.True(crl.NextUpdate > crl.ThisUpdate);

        // openssl, checking the CRL, refuses the revoked certificate and accepts the other.
        var bad = await OpenSslCli.RunAsync("verify", "-crl_check", "-CRLfile", test.Store.CrlPath, "-CAfile", test.Store.CaCertificatePath, victim.CertificatePath);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("certificate revoked", bad.Combined);
        await OpenSslCli.RunOkAsync("verify", "-crl_check", "-CRLfile", test.Store.CrlPath, "-CAfile", test.Store.CaCertificatePath, keeper.CertificatePath);
    }

    [Fact]
    public void Revoking_by_serial_works_with_colons_and_lower_case()
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueDevice("cam");
        var serial = string.Join(':', Convert.FromHexString(issued.Entry.Serial).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("cam", test.Ca.Revoke(serial).Name);
        Assert.True(test.Ca.Revoke("cam").AlreadyRevoked);
        Assert.Throws<PkiException>(() => test.Ca.Revoke("nobody"));
    }

    [Fact]
    public void Crl_number_increases_on_every_write()
    {
        using var test = new TestCa();
        var numbers = Enumerable.Range(0, 3).Select(_ => test.Ca.WriteCrl().Number).ToList();
        Assert.True(numbers[0] < numbers[1] && numbers[1] < numbers[2]);
        Assert.Equal((long)numbers[2], test.Store.ReadIndex().CrlNumber);
    }

    [Fact]
    public void A_crl_from_another_ca_is_refused()
    {
        using var mine = new TestCa();
        using var other = new TestCa();
        var error = Assert.Throws<PkiException>(() => RevocationList.Load(File.ReadAllBytes(other.Store.CrlPath), mine.Ca.Certificate));
        Assert.Contains("does not verify", error.Message);
    }

    [Fact]
    public void A_tampered_crl_is_refused()
    {
        using var test = new TestCa();
        test.Ca.IssueDevice("cam");
        test.Ca.Revoke("cam");
        var der = PemFiles.ToDer(File.ReadAllBytes(test.Store.CrlPath), "X509 CRL", "crl");

        // Flip a bit inside the revoked serial (well inside the signed part).
        var crl = RevocationList.Load(der, test.Ca.Certificate);
        var serial = Convert.FromHexString(crl.Revoked.Single().Serial);
        var at = der.AsSpan().IndexOf(serial);
        Assert.True(at > 0);
        der[at + 3] ^= 0x01;
        var error = Assert.Throws<PkiException>(() => RevocationList.Load(der, test.Ca.Certificate));
        Assert.Contains("signature", error.Message);
    }

    [Fact]
    public void Renew_replaces_key_and_certificate_and_supersedes_the_old_one()
    {
        using var test = new TestCa();
        var old = test.Ca.IssueClient(new ClientCertificateRequest("phone") { Role = ClientRole.Admin, Pkcs12Format = Pkcs12Format.Modern, Days = 100 });
        var oldKey = File.ReadAllText(old.KeyPath);

        var renewed = test.Ca.Renew("phone");
        Assert.NotEqual(old.Entry.Serial, renewed.Entry.Serial);
        Assert.NotEqual(oldKey, File.ReadAllText(renewed.KeyPath));
        Assert.Equal(ClientRole.Admin, CertificateProfiles.ReadRole(renewed.Certificate));
        Assert.Equal(Pkcs12Format.Modern, renewed.Entry.Pkcs12Format);
        Assert.InRange((renewed.Entry.NotAfter - renewed.Entry.NotBefore).TotalDays, 100, 100.1);
        Assert.True(renewed.Pkcs12PasswordGenerated);
        Assert.NotEqual(old.Pkcs12Password, renewed.Pkcs12Password);

        var index = test.Store.ReadIndex();
        Assert.Equal(2, index.Entries.Count);
        Assert.Equal(X509RevocationReason.Superseded, index.FindBySerial(old.Entry.Serial)!.RevocationReason);
        Assert.Equal(renewed.Entry.Serial, index.FindLatest("phone")!.Serial);
        var crl = RevocationList.Load(File.ReadAllBytes(test.Store.CrlPath), test.Ca.Certificate);
        Assert.Equal(X509RevocationReason.Superseded, crl.Find(old.Entry.Serial)!.Reason);
        Assert.False(crl.IsRevoked(renewed.Certificate));
        Assert.Empty(Directory.GetDirectories(test.Store.IssuedDirectory, ".*"));
    }

    [Fact]
    public void Renewing_a_dotted_client_keeps_exactly_one_identity_name()
    {
        using var test = new TestCa();
        var old = test.Ca.IssueClient("alice.phone");
        var renewed = test.Ca.Renew("alice.phone");
        Assert.Equal(["alice.phone.client.securecam.home.arpa"], old.Entry.DnsNames);
        Assert.Equal(old.Entry.DnsNames, renewed.Entry.DnsNames);
    }

    [Fact]
    public void Renewing_a_server_keeps_its_names()
    {
        using var test = new TestCa();
        test.Ca.IssueServer("server", ["cam.lan", "localhost"], [System.Net.IPAddress.Parse("192.168.7.7")]);
        var renewed = test.Ca.Renew("server");
        Assert.Equal(["cam.lan", "localhost"], renewed.Entry.DnsNames);
        Assert.Equal(["192.168.7.7"], renewed.Entry.IpAddresses);
    }

    [Fact]
    public void Status_is_valid_expiring_expired_or_revoked()
    {
        var now = DateTimeOffset.UtcNow;
        var entry = new IndexEntry
        {
            Name = "x", Kind = CertificateKind.Device, Serial = "01", Subject = "CN=x", Sha256 = "00",
            NotBefore = now.AddDays(-1), NotAfter = now.AddDays(31),
        };
        Assert.Equal(CertificateStatus.Valid, entry.StatusAt(now));
        Assert.Equal(CertificateStatus.Expiring, entry.StatusAt(now.AddDays(2)));
        Assert.Equal(CertificateStatus.Expired, entry.StatusAt(now.AddDays(32)));
        Assert.Equal(CertificateStatus.Revoked, (entry with { RevokedAt = now }).StatusAt(now));
    }
}
