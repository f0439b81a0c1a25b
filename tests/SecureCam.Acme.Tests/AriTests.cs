using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecureCam.Acme.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>
/// ACME Renewal Information (RFC 9773) and the retry rules, against a scripted ACME server:
/// Pebble 2.4 has no renewalInfo.
/// </summary>
public sealed class AriTests
{
    // RFC 9773 §4.1's example: keyIdentifier 69:88:5B:…:C8:D4 and serial 00:87:65:43:21.
    private static readonly byte[] RfcKeyId = Convert.FromHexString("69885B6B87464041E1B37B847BA0AE2CDE01C8D4");
    private static readonly byte[] RfcSerial = [0x00, 0x87, 0x65, 0x43, 0x21];
    private const string RfcCertId = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";

    [Fact]
    public void The_certificate_id_is_the_one_rfc_9773_gives_for_its_example()
    {
        using var certificate = TestCertificates.Leaf("cam.securecam.test", RfcSerial, RfcKeyId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));

        Assert.Equal(RfcCertId, AriCertificateId.For(certificate.Certificate));
    }

    [Fact]
    public async Task RenewalInfo_is_fetched_by_certificate_id_after_a_503_with_retry_after()
    {
        var start = DateTimeOffset.UtcNow.AddDays(30);
        var calls = 0;
        await using var server = new ScriptedAcmeServer(request => request.Path switch
        {
            _ when request.Path.StartsWith("/renewalInfo/", StringComparison.Ordinal) => Interlocked.Increment(ref calls) == 1
                ? new ScriptedResponse(503, """{"type":"urn:ietf:params:acme:error:serverInternal","detail":"busy"}""", new Dictionary<string, string> { ["Retry-After"] = "1" }) { ContentType = "application/problem+json" }
                : new ScriptedResponse(200, $$"""{"suggestedWindow":{"start":"{{start:O}}","end":"{{start.AddDays(2):O}}"},"explanationURL":"https://ca.test/why"}""", new Dictionary<string, string> { ["Retry-After"] = "21600" }),
            _ => new ScriptedResponse(404),
        });
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { DirectoryUri = server.DirectoryUri, AllowHttpForTesting = true }, CancellationToken.None);
        using var certificate = TestCertificates.Leaf("cam.securecam.test", RfcSerial, RfcKeyId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));

        var info = await client.GetRenewalInfoAsync(certificate.Certificate, CancellationToken.None);

        Assert.NotNull(info);
        Assert.Equal(start, info.SuggestedWindow!.Start, TimeSpan.FromSeconds(1));
        Assert.Equal(start.AddDays(2), info.SuggestedWindow.End, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromHours(6), info.RetryAfter);
        Assert.Equal(new Uri("https://ca.test/why"), info.ExplanationUrl);
        var asked = server.Requests.Where(r => r.Path.StartsWith("/renewalInfo", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, asked.Count);
        Assert.All(asked, r => Assert.Equal(("GET", "/renewalInfo/" + RfcCertId), (r.Method, r.Path)));
    }

    [Fact]
    public async Task NewOrder_carries_replaces_and_a_badNonce_is_retried_with_the_nonce_from_the_error()
    {
        var orders = 0;
        await using var server = new ScriptedAcmeServer(request => (request.Method, request.Path) switch
        {
            ("HEAD", "/nonce") => new ScriptedResponse(200, "", Nonce("first")),
            ("POST", "/order") when Interlocked.Increment(ref orders) == 1 => new ScriptedResponse(
                400, """{"type":"urn:ietf:params:acme:error:badNonce","detail":"JWS has an invalid anti-replay nonce"}""", Nonce("from-error")) { ContentType = "application/problem+json" },
            ("POST", "/order") => new ScriptedResponse(201, OrderJson(), new Dictionary<string, string> { ["Location"] = "/order/1", ["Replay-Nonce"] = "next" }),
            _ => new ScriptedResponse(404),
        });
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { DirectoryUri = server.DirectoryUri, AllowHttpForTesting = true }, CancellationToken.None);
        using var key = AccountKey.Generate();
        var account = new AcmeAccount { Location = new Uri(server.BaseUri, "/account/7"), Key = key, Resource = new AcmeAccountResource() };
        using var renewed = TestCertificates.Leaf("cam.securecam.test", RfcSerial, RfcKeyId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));

        var order = await client.NewOrderAsync(account, [AcmeIdentifier.For("cam.securecam.test")], CancellationToken.None, AriCertificateId.For(renewed.Certificate));

        Assert.Equal(new Uri(server.BaseUri, "/order/1"), order.Location);
        var posts = server.Requests.Where(r => r.Method == "POST").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(2, posts.Count);
        var (firstHeader, _) = Decode(posts[0], key);
        var (secondHeader, payload) = Decode(posts[1], key);
        Assert.Equal("first", firstHeader.GetProperty("nonce").GetString());
        Assert.Equal("from-error", secondHeader.GetProperty("nonce").GetString());
        Assert.Equal("ES256", secondHeader.GetProperty("alg").GetString());
        Assert.Equal(account.Location.AbsoluteUri, secondHeader.GetProperty("kid").GetString());
        Assert.False(secondHeader.TryGetProperty("jwk", out _));
        Assert.Equal(new Uri(server.BaseUri, "/order").AbsoluteUri, secondHeader.GetProperty("url").GetString());
        Assert.Equal(RfcCertId, payload.GetProperty("replaces").GetString());
        Assert.Equal("cam.securecam.test", payload.GetProperty("identifiers")[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_rate_limit_longer_than_the_bound_surfaces_typed_with_its_retry_after()
    {
        await using var server = new ScriptedAcmeServer(request => (request.Method, request.Path) switch
        {
            ("HEAD", "/nonce") => new ScriptedResponse(200, "", Nonce("n")),
            ("POST", "/order") => new ScriptedResponse(
                429,
                """{"type":"urn:ietf:params:acme:error:rateLimited","detail":"too many certificates already issued"}""",
                new Dictionary<string, string> { ["Retry-After"] = "3600", ["Replay-Nonce"] = "m" }) { ContentType = "application/problem+json" },
            _ => new ScriptedResponse(404),
        });
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { DirectoryUri = server.DirectoryUri, AllowHttpForTesting = true }, CancellationToken.None);
        using var key = AccountKey.Generate();
        var account = new AcmeAccount { Location = new Uri(server.BaseUri, "/account/7"), Key = key, Resource = new AcmeAccountResource() };

        var error = await Assert.ThrowsAsync<AcmeProblemException>(
            () => client.NewOrderAsync(account, [AcmeIdentifier.For("cam.securecam.test")], CancellationToken.None));

        Assert.Equal("rateLimited", error.ProblemType);
        Assert.Equal("too many certificates already issued", error.Detail);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task The_manager_schedules_renewal_inside_the_ari_window_instead_of_by_lifetime()
    {
        var now = DateTimeOffset.UtcNow;
        var windowStart = now.AddDays(10);
        var windowEnd = now.AddDays(11);
        await using var server = new ScriptedAcmeServer(request => request.Path switch
        {
            _ when request.Path == "/renewalInfo/" + RfcCertId => new ScriptedResponse(200, $$$"""{"suggestedWindow":{"start":"{{{windowStart:O}}}","end":"{{{windowEnd:O}}}"}}"""),
            _ => new ScriptedResponse(404),
        });
        using var pki = new TempDirectory();
        var storage = new AcmeFileStorage(pki.Path);
        using (var stored = TestCertificates.Leaf("cam.securecam.test", RfcSerial, RfcKeyId, now.AddDays(-1), now.AddDays(89)))
        {
            storage.SaveCertificate("cam.securecam.test", stored);
        }

        var options = new AcmeManagerOptions { AcceptTermsOfService = true };
        options.Client.DirectoryUri = server.DirectoryUri;
        options.Client.AllowHttpForTesting = true;
        options.Domains.Add("cam.securecam.test");
        using var manager = new AcmeCertificateManager(options, new Http01TokenStore(), storage);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => manager.Status.RenewalBasis is not null, TimeSpan.FromSeconds(30), () => manager.Status.ToString());

        var status = manager.Status;
        Assert.Equal("ari", status.RenewalBasis);
        Assert.InRange(status.RenewalDue!.Value, windowStart, windowEnd);
        Assert.Equal(status.RenewalDue, status.NextAttempt);
        Assert.Equal(AcmeManagerState.Valid, status.State);
        Assert.DoesNotContain(server.Requests, r => r.Method == "POST");
        await stop.CancelAsync();
        await loop;
    }

    [Fact]
    public async Task Urls_elsewhere_than_the_directory_and_an_http_directory_are_refused()
    {
        await using var server = new ScriptedAcmeServer(request => (request.Method, request.Path) switch
        {
            ("HEAD", "/nonce") => new ScriptedResponse(200, "", Nonce("n")),
            ("POST", "/order") => new ScriptedResponse(201, OrderJson(), new Dictionary<string, string> { ["Location"] = "/order/1", ["Replay-Nonce"] = "m" }),
            _ => new ScriptedResponse(404),
        });

        // Without the test setting an http:// directory is refused outright.
        await Assert.ThrowsAsync<ArgumentException>(() => AcmeClient.CreateAsync(new AcmeClientOptions { DirectoryUri = server.DirectoryUri }, CancellationToken.None));

        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { DirectoryUri = server.DirectoryUri, AllowHttpForTesting = true }, CancellationToken.None);
        using var key = AccountKey.Generate();
        var account = new AcmeAccount { Location = new Uri(server.BaseUri, "/account/7"), Key = key, Resource = new AcmeAccountResource() };
        var port = server.BaseUri.Port;
        foreach (var elsewhere in new[] { $"http://127.0.0.2:{port}/authz/1", $"https://127.0.0.1:{port}/authz/1", $"http://127.0.0.1:{port + 1}/authz/1", "http://evil.test/authz/1", "file:///etc/passwd" })
        {
            var before = server.Requests.Count;
            var error = await Assert.ThrowsAnyAsync<AcmeException>(() => client.GetAuthorizationAsync(account, new Uri(elsewhere), CancellationToken.None));
            Assert.Contains("elsewhere than its directory", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, server.Requests.Count);
        }
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"suggestedWindow":{"start":"yesterday","end":"tomorrow"}}""")]
    [InlineData("""{"suggestedWindow":{"start":"2026-01-02T00:00:00Z","end":"2026-01-01T00:00:00Z"}}""")]
    [InlineData("""{"suggestedWindow":{"start":"0001-01-01T00:00:00Z","end":"9999-12-31T23:59:59Z"}}""")]
    [InlineData("""{"suggestedWindow":{"start":12,"end":{"x":[]}}}""")]
    [InlineData("""{"suggestedWindow":null,"explanationURL":"::::"}""")]
    [InlineData("""{"suggestedWindow":{"start":"2026-01-01T00:00:00Z"},"explanationURL":12}""")]
    public async Task A_malformed_renewal_info_is_an_acme_exception_never_anything_else(string body)
    {
        await using var server = new ScriptedAcmeServer(_ => new ScriptedResponse(200, body));
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { DirectoryUri = server.DirectoryUri, AllowHttpForTesting = true }, CancellationToken.None);
        using var certificate = TestCertificates.Leaf("cam.securecam.test", RfcSerial, RfcKeyId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        await Assert.ThrowsAnyAsync<AcmeException>(() => client.GetRenewalInfoAsync(certificate.Certificate, CancellationToken.None));
    }

    [Fact]
    public async Task Random_and_nested_renewal_info_bodies_and_absurd_retry_afters_never_escape_as_other_exceptions()
    {
        var random = new Random(9773);
        var start = DateTimeOffset.UtcNow.AddDays(30);
        var good = $$$"""{"suggestedWindow":{"start":"{{{start:O}}}","end":"{{{start.AddDays(2):O}}}"}}""";
        var bodies = new List<string> { new string('[', 100_000), "{\"suggestedWindow\":" + new string('{', 5000) };
        for (var i = 0; i < 60; i++)
        {
            var chars = good.ToCharArray();
            chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
            bodies.Add(new string(chars));
        }

        var current = 0;
        await using var server = new ScriptedAcmeServer(_ => Volatile.Read(ref current) < bodies.Count
            ? new ScriptedResponse(200, bodies[Volatile.Read(ref current)])
            : new ScriptedResponse(200, good, new Dictionary<string, string> { ["Retry-After"] = "999999999999" }));
        using var client = await AcmeClient.CreateAsync(new AcmeClientOptions { DirectoryUri = server.DirectoryUri, AllowHttpForTesting = true }, CancellationToken.None);
        using var certificate = TestCertificates.Leaf("cam.securecam.test", RfcSerial, RfcKeyId, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(90));
        for (; current < bodies.Count; current++)
        {
            try
            {
                _ = await client.GetRenewalInfoAsync(certificate.Certificate, CancellationToken.None);
            }
            catch (AcmeException)
            {
            }
        }

        var info = await client.GetRenewalInfoAsync(certificate.Certificate, CancellationToken.None);
        Assert.NotNull(info);
        Assert.True(info.RetryAfter is null || info.RetryAfter <= TimeSpan.FromDays(1), $"retry after {info.RetryAfter}");
    }

    private static Dictionary<string, string> Nonce(string value) => new() { ["Replay-Nonce"] = value, ["Cache-Control"] = "no-store" };

    private static string OrderJson() =>
        """{"status":"pending","identifiers":[{"type":"dns","value":"cam.securecam.test"}],"authorizations":[],"finalize":"/order/1/finalize"}""";

    /// <summary>Checks the ES256 signature with the account's public key and returns header and payload.</summary>
    private static (JsonElement Header, JsonElement Payload) Decode(JsonElement jws, AccountKey key)
    {
        var protectedPart = jws.GetProperty("protected").GetString()!;
        var payloadPart = jws.GetProperty("payload").GetString()!;
        var signature = Base64Url.DecodeFromChars(jws.GetProperty("signature").GetString()!);
        using var publicKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        publicKey.ImportFromPem(ExportPublicPem(key));
        Assert.True(publicKey.VerifyData(Encoding.ASCII.GetBytes(protectedPart + "." + payloadPart), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(protectedPart)).RootElement;
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(payloadPart)).RootElement;
        return (header, payload);
    }

    private static string ExportPublicPem(AccountKey key)
    {
        using var full = ECDsa.Create();
        full.ImportFromPem(key.ExportPem());
        return full.ExportSubjectPublicKeyInfoPem();
    }
}
