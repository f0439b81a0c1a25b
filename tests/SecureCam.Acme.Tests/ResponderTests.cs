using System.Net;
using System.Security.Cryptography.X509Certificates;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests;

/// <summary>The standalone challenge responders, checked with curl and openssl as independent peers.</summary>
public sealed class ResponderTests
{
    private static readonly AcmeIdentifier Cam = AcmeIdentifier.For("cam.securecam.test");

    [SkippableFact]
    public async Task The_http01_responder_answers_its_tokens_on_ipv6_and_ipv4_and_nothing_else()
    {
        var curl = Peer.Require("curl");
        var store = new Http01TokenStore();
        await store.PresentAsync(Cam, "tok", "tok.abc", CancellationToken.None);
        await using var responder = new Http01StandaloneResponder(store, port: 0);

        foreach (var host in new[] { "127.0.0.1", "[::1]" })
        {
            var found = await ExternalProcess.RunAsync(curl, ["-s", "-w", " %{http_code}", $"http://{host}:{responder.Port}/.well-known/acme-challenge/tok"]);
            Assert.Equal("tok.abc 200", found.StandardOutput.Trim());
            var missing = await ExternalProcess.RunAsync(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://{host}:{responder.Port}/.well-known/acme-challenge/other"]);
            Assert.Equal("404", missing.StandardOutput.Trim());
        }

        await store.CleanupAsync(Cam, "tok", CancellationToken.None);
        var gone = await ExternalProcess.RunAsync(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", $"http://[::1]:{responder.Port}/.well-known/acme-challenge/tok"]);
        Assert.Equal("404", gone.StandardOutput.Trim());
        Assert.Equal(2, responder.Answered);
    }

    [SkippableFact]
    public async Task The_tls_alpn01_responder_serves_the_rfc_8737_certificate_for_acme_tls_1_by_sni()
    {
        var openssl = Peer.Require("openssl");
        using var store = new TlsAlpn01CertificateStore();
        await store.PresentAsync(Cam, "tok", "tok.abc", CancellationToken.None);
        await using var responder = new TlsAlpn01StandaloneResponder(store, port: 0);

        var handshake = await ExternalProcess.RunAsync(
            openssl,
            ["s_client", "-connect", $"[::1]:{responder.Port}", "-servername", "cam.securecam.test", "-alpn", "acme-tls/1"],
            standardInput: "");
        Assert.Contains("ALPN protocol: acme-tls/1", handshake.StandardOutput, StringComparison.Ordinal);
        var text = await ExternalProcess.RunAsync(openssl, ["x509", "-noout", "-text"], standardInput: handshake.StandardOutput);

        Assert.Contains("DNS:cam.securecam.test", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1.3.6.1.5.5.7.1.31: critical", text.StandardOutput, StringComparison.Ordinal);

        // The certificate openssl received holds OCTET STRING(SHA-256("tok.abc")): 04 20, then the digest
        // (computed apart from this code, with Python's hashlib).
        using var received = X509Certificate2.CreateFromPem(handshake.StandardOutput.AsSpan(handshake.StandardOutput.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)));
        var extension = received.Extensions[TlsAlpnChallengeCertificate.AcmeIdentifierOid]!;
        Assert.Equal("0420aa561c60aac9c3aba26edee5fc43399630f9971c8cd41e34b2547a79a5dada34", Convert.ToHexStringLower(extension.RawData));

        var unknown = await ExternalProcess.RunAsync(
            openssl,
            ["s_client", "-connect", $"127.0.0.1:{responder.Port}", "-servername", "other.securecam.test", "-alpn", "acme-tls/1"],
            standardInput: "");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.DoesNotContain("BEGIN CERTIFICATE", unknown.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ip_identifier_is_looked_up_by_its_reverse_dns_name()
    {
        Assert.Equal("1.2.0.192.in-addr.arpa", TlsAlpnChallengeCertificate.ServerNameFor(AcmeIdentifier.For("192.0.2.1")));
        Assert.EndsWith(".8.b.d.0.1.0.0.2.ip6.arpa", TlsAlpnChallengeCertificate.ServerNameFor(AcmeIdentifier.For("2001:db8::1")), StringComparison.Ordinal);
        Assert.Equal("ip", AcmeIdentifier.For(IPAddress.Loopback.ToString()).Type);
    }
}
