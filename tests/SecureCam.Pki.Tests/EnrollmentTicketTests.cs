using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki.Tests;

public sealed class EnrollmentTicketTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static (EnrollmentTickets Tickets, IssuedCertificate Issued, string Token) Enroll(TestCa test, string name = "phone", TimeSpan? lifetime = null)
    {
        var issued = test.Ca.IssueClient(new ClientCertificateRequest(name) { Pkcs12Password = PasswordGenerator.NewShort() });
        var tickets = new EnrollmentTickets(test.Store);
        tickets.Create(issued, lifetime ?? EnrollmentTickets.DefaultLifetime, Now, out var token);
        return (tickets, issued, token);
    }

    [Fact]
    public void Tokens_carry_128_random_bits_and_only_their_hash_is_stored()
    {
        using var test = new TestCa();
        var (tickets, _, token) = Enroll(test);
        Assert.True(EnrollmentTickets.IsWellFormed(token));
        Assert.Equal(16, Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "==").Length);
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => EnrollmentTickets.NewToken()).Distinct().Count());

        var file = Assert.Single(Directory.GetFiles(test.Store.EnrollmentDirectory));
        Assert.Equal(EnrollmentTickets.Hash(token) + ".json", Path.GetFileName(file));
        Assert.DoesNotContain(token, File.ReadAllText(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(AtomicFile.Secret, File.GetUnixFileMode(file));
        }
        Assert.Equal(Now + TimeSpan.FromMinutes(10), tickets.Find(token)!.ExpiresAt);
        Assert.Null(tickets.Find(EnrollmentTickets.NewToken()));
        Assert.Null(tickets.Find("../../ca"));
    }

    [Fact]
    public async Task Taking_hands_out_the_p12_once_and_removes_the_key_but_not_the_certificate()
    {
        using var test = new TestCa();
        var (tickets, issued, token) = Enroll(test);
        var expected = File.ReadAllBytes(issued.Pkcs12Path!);
        Assert.True(ClientKeys.IsOnBox(test.Store, "phone"));

        var first = await tickets.TakeAsync(token, Now.AddMinutes(1), "192.168.1.50:51000");
        Assert.Equal(EnrollmentTicketState.Open, first.State);
        Assert.Equal(expected, first.Pkcs12);
        Assert.Equal("192.168.1.50:51000", first.Ticket!.TakenBy);
        Assert.False(File.Exists(issued.KeyPath));
        Assert.False(File.Exists(issued.Pkcs12Path));
        Assert.True(File.Exists(issued.CertificatePath));
        Assert.False(ClientKeys.IsOnBox(test.Store, "phone"));

        var second = await tickets.TakeAsync(token, Now.AddMinutes(2), "192.168.1.50:51001");
        Assert.Equal(EnrollmentTicketState.Taken, second.State);
        Assert.Null(second.Pkcs12);

        // The certificate is still the CA's to revoke.
        test.Ca.Revoke("phone");
    }

    [Fact]
    public async Task An_expired_ticket_is_refused_and_swept_with_its_key()
    {
        using var test = new TestCa();
        var (tickets, issued, token) = Enroll(test);
        var late = Now + EnrollmentTickets.DefaultLifetime;
        var take = await tickets.TakeAsync(token, late, null);
        Assert.Equal(EnrollmentTicketState.Expired, take.State);
        Assert.Null(take.Pkcs12);
        Assert.True(File.Exists(issued.KeyPath));

        var swept = await tickets.SweepAsync(late);
        Assert.Equal(EnrollmentTicketState.Expired, Assert.Single(swept).State);
        Assert.False(File.Exists(issued.KeyPath));
        Assert.False(File.Exists(issued.Pkcs12Path));
        Assert.Null(tickets.Find(token));
    }

    [Fact]
    public async Task A_ticket_whose_name_was_revoked_or_renewed_meanwhile_is_withdrawn()
    {
        using var test = new TestCa();
        var (tickets, _, revokedToken) = Enroll(test, "lost");
        test.Ca.Revoke("lost", X509RevocationReason.KeyCompromise);
        Assert.Equal(EnrollmentTicketState.Withdrawn, (await tickets.TakeAsync(revokedToken, Now, null)).State);

        var (_, _, renewedToken) = Enroll(test, "renewed");
        var renewed = test.Ca.Renew("renewed");
        Assert.Equal(EnrollmentTicketState.Withdrawn, (await tickets.TakeAsync(renewedToken, Now, null)).State);

        // Withdrawn links keep saying so until they expire; then the revoked key goes, the renewed one (not the ticket's) stays.
        Assert.Empty(await tickets.SweepAsync(Now));
        Assert.Equal(2, (await tickets.SweepAsync(Now + EnrollmentTickets.DefaultLifetime)).Count);
        Assert.False(File.Exists(test.Store.KeyPath("lost")));
        Assert.True(File.Exists(renewed.KeyPath));
        Assert.Empty(tickets.ReadAll());
    }

    [Fact]
    public async Task A_used_ticket_keeps_answering_taken_for_a_day_after_its_expiry()
    {
        using var test = new TestCa();
        var (tickets, _, token) = Enroll(test);
        await tickets.TakeAsync(token, Now, null);
        var expiry = Now + EnrollmentTickets.DefaultLifetime;
        Assert.Empty(await tickets.SweepAsync(expiry));
        Assert.Equal(EnrollmentTicketState.Taken, (await tickets.TakeAsync(token, expiry.AddHours(1), null)).State);
        Assert.Single(await tickets.SweepAsync(expiry + EnrollmentTickets.KeepTaken));
        Assert.Null((await tickets.TakeAsync(token, expiry + EnrollmentTickets.KeepTaken, null)).State);
    }

    [Fact]
    public void Forget_key_deletes_key_p12_and_profile_and_refuses_an_unknown_name()
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueClient("laptop");
        var profile = Path.Combine(test.Store.EntryDirectory("laptop"), "laptop.mobileconfig");
        File.WriteAllText(profile, "x");
        Assert.Equal(3, ClientKeys.Forget(test.Store, "laptop").Count);
        Assert.False(File.Exists(issued.KeyPath) || File.Exists(issued.Pkcs12Path) || File.Exists(profile));
        Assert.True(File.Exists(issued.CertificatePath));
        Assert.Empty(ClientKeys.Forget(test.Store, "laptop"));
        Assert.Contains("no certificate named 'nobody'", Assert.Throws<PkiException>(() => ClientKeys.Forget(test.Store, "nobody")).Message);
    }

    [Fact]
    public void Short_passwords_have_three_groups_without_look_alikes()
    {
        var password = PasswordGenerator.NewShort();
        Assert.Matches("^[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}-[a-km-np-z2-9]{4}$", password);
    }
}
