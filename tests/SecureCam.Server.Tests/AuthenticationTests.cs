using System.Net;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SecureCam.Server.Authentication;
using SecureCam.Server.Tests.Support;
using SecureCam.Server.Tls;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The per-request gate (Microsoft.AspNetCore.Authentication.Certificate with our cache and events): what
/// changes while a connection stays open — a revocation, a new CA — takes effect on its next request.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AuthenticationTests(ServerFixture server)
{
    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task A_client_revoked_between_two_requests_on_one_connection_is_refused_401_on_the_second(string version)
    {
        var name = "kept-alive-" + version.Replace('.', '-');
        var client = server.Pki.IssueClient(name);
        var connections = 0;
        using var http = server.CreateClient(client, Version.Parse(version), onConnect: () => Interlocked.Increment(ref connections));

        // Two accepted requests: the second is answered from the validation cache, the path that must still see the CRL.
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await http.GetAsync("/api/status");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(Version.Parse(version), accepted.Version);
        }

        Assert.True(server.App.Services.GetRequiredService<LiveCertificateValidationCache>().Count > 0, "nothing was cached: the test would not exercise a cache hit");
        var before = server.Logs.Audit.Count();
        server.Pki.Revoke(name);
        var revocation = server.App.Services.GetRequiredService<RevocationMonitor>();
        await Eventually.TrueAsync(() => revocation.IsRevoked(client.Certificate), TimeSpan.FromSeconds(5));

        using var refused = await http.GetAsync("/api/status");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(await refused.Content.ReadAsByteArrayAsync());

        // A new connection would have been refused in the handshake instead: the 401 came on the kept one.
        Assert.Equal(1, Volatile.Read(ref connections));
        await server.WaitForAuditAsync(
            l => l.Contains("client-rejected stage=request", StringComparison.Ordinal)
                && l.Contains("serial=" + client.Certificate.SerialNumber, StringComparison.Ordinal)
                && l.Contains("reason=\"revoked\"", StringComparison.Ordinal),
            skip: before);
    }

    [Fact]
    public void No_data_protection_key_ring_is_registered()
    {
        Assert.Null(server.App.Services.GetService<IDataProtectionProvider>());
        Assert.IsType<LiveCertificateValidationCache>(server.App.Services.GetRequiredService<ICertificateValidationCache>());
    }

    [Fact]
    public async Task A_ca_replaced_at_run_time_becomes_the_only_root_of_the_per_request_check()
    {
        // A server of its own: replacing the CA would break every other test of the shared one.
        var own = new ServerFixture();
        await own.InitializeAsync();
        try
        {
            var oldClient = own.Pki.IssueClient("old-ca-viewer");
            using var oldHttp = own.CreateClient(oldClient);
            using (var first = await oldHttp.GetAsync("/api/status"))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            }

            // The package's options hold the CA they were built with; fetch them once so they are built now.
            var monitor = own.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<CertificateAuthenticationOptions>>();
            Assert.Equal(own.Pki.Store.ReadCaCertificate().Thumbprint, Assert.Single(monitor.Get(CertificateAuthenticationSetup.Scheme).CustomTrustStore).Thumbprint);

            using var next = new TestPki();
            var newClient = next.IssueClient("new-ca-viewer");
            ReplaceFile(next.Store.CaCertificatePath, own.Pki.Store.CaCertificatePath);
            ReplaceFile(Path.Combine(next.Directory, "crl.pem"), Path.Combine(own.Pki.Directory, "crl.pem"));
            foreach (var file in new[] { "cert.pem", "key.pem", "chain.pem" })
            {
                ReplaceFile(Path.Combine(next.Directory, "issued", "server", file), Path.Combine(own.Pki.Directory, "issued", "server", file));
            }

            var ca = own.App.Services.GetRequiredService<LocalCaCertificate>();
            var newCa = next.Store.ReadCaCertificate();
            await Eventually.TrueAsync(() => ca.Certificate.Thumbprint == newCa.Thumbprint, TimeSpan.FromSeconds(5));

            // The old CA's client, on its connection opened before: refused by our check, not by a stale chain.
            using (var stale = await oldHttp.GetAsync("/api/status"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
            }

            // The new CA's client: accepted in the handshake and by the package, whose only root is now the new CA.
            using var newHttp = own.CreateClient(newClient);
            HttpResponseMessage? response = null;
            await Eventually.TrueAsync(
                async () =>
                {
                    response?.Dispose();
                    try
                    {
                        response = await newHttp.GetAsync("/api/status");
                        return true;
                    }
                    catch (HttpRequestException)
                    {
                        // The server certificate of the new CA is not served yet.
                        return false;
                    }
                },
                TimeSpan.FromSeconds(10));
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
            }

            Assert.Equal(newCa.Thumbprint, Assert.Single(monitor.Get(CertificateAuthenticationSetup.Scheme).CustomTrustStore).Thumbprint);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    /// <summary>Copies by rename, as the PKI tool writes: the server never reads half a file.</summary>
    private static void ReplaceFile(string from, string to)
    {
        var temp = to + ".new";
        File.Copy(from, temp, overwrite: true);
        File.Move(temp, to, overwrite: true);
    }
}
