using Microsoft.Extensions.DependencyInjection;
using SecureCam.Server.Tests.Support;
using SecureCam.Server.Tls;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// Every client that must not see the camera, presented by curl: refused in the handshake, not one byte
/// of image, and an audit line that says why.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RefusalTests(ServerFixture server)
{
    /// <summary>
    /// A forgery that also copies the CA's key identifier makes OpenSSL fail the handshake before our
    /// callback sees it (.NET 10 on Linux); it is refused just the same and audited by the handshake wrapper.
    /// </summary>
    private const string FailedEarly = "TLS handshake failed before certificate validation";

    public static TheoryData<string> Cases() =>
    [
        "no certificate", "self-signed", "another CA", "expired", "not yet valid", "revoked",
        "serverAuth-only EKU", "the CA certificate itself", "copied names, another key", "copied names and key id, another key",
    ];

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Refused_without_image_bytes_and_audited(string kind)
    {
        Peer.Require("curl");
        var (client, reasons) = Make(kind);
        if (kind == "revoked")
        {
            // Revoked before the request: wait until the server has read the new CRL (the live timing is LiveChangeTests' job).
            var revocation = server.App.Services.GetRequiredService<RevocationMonitor>();
            await Eventually.TrueAsync(() => revocation.IsRevoked(client!.Certificate), TimeSpan.FromSeconds(5));
        }

        using var temp = new TempDirectory();
        var output = temp.Combine("out.jpg");
        var before = server.Logs.Audit.Count();
        var result = await server.CurlAsync(client, "/snapshot", "-o", output);

        Assert.True(result.ExitCode != 0, $"curl succeeded for '{kind}': {result}");
        Assert.True(!File.Exists(output) || new FileInfo(output).Length == 0, $"image bytes were delivered for '{kind}'");
        var line = await server.WaitForAuditAsync(
            l => l.Contains("client-rejected stage=handshake", StringComparison.Ordinal) && reasons.Any(r => l.Contains($"reason=\"{r}", StringComparison.Ordinal)),
            curlResult: result,
            skip: before);
        Assert.Contains("remote=127.0.0.1:", line, StringComparison.Ordinal);
        if (client is not null && !line.Contains(FailedEarly, StringComparison.Ordinal))
        {
            Assert.Contains("serial=" + client.Certificate.SerialNumber, line, StringComparison.Ordinal);
        }
    }

    private (ClientFiles? Client, string[] Reasons) Make(string kind)
    {
        var pki = server.Pki;
        var now = DateTimeOffset.UtcNow;
        string[] clientAuth = [TestPki.ClientAuth];
        switch (kind)
        {
            case "no certificate":
                return (null, ["no client certificate"]);
            case "self-signed":
                return (pki.SelfSigned("selfie"), ["self-signed"]);
            case "another CA":
                return (pki.FromAnotherCa("stranger", copyCaName: false), ["not issued by the local CA"]);
            case "expired":
                return (pki.MintFromCa("expired", now.AddDays(-30), now.AddMinutes(-5), clientAuth), ["expired"]);
            case "not yet valid":
                return (pki.MintFromCa("future", now.AddDays(1), now.AddDays(30), clientAuth), ["not yet valid"]);
            case "revoked":
                var revoked = pki.IssueClient("revoked-before");
                pki.Revoke("revoked-before");
                return (revoked, ["revoked"]);
            case "serverAuth-only EKU":
                return (pki.MintFromCa("web", now.AddHours(-1), now.AddDays(30), [TestPki.ServerAuth]), ["serverAuth-only EKU"]);
            case "the CA certificate itself":
                var ca = new ClientFiles("ca", pki.CaCertificatePath, pki.Store.CaKeyPath, pki.CaWithKey());
                return (ca, ["the CA certificate itself"]);
            case "copied names, another key":
                return (pki.ForgedCopyOf(pki.IssueClient("original"), "forged", copyKeyId: false), ["signature does not verify with the local CA's key", FailedEarly]);
            case "copied names and key id, another key":
                return (pki.ForgedCopyOf(pki.IssueClient("original2"), "forged2", copyKeyId: true), ["signature does not verify with the local CA's key", FailedEarly]);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
