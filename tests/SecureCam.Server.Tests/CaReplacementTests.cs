using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>A CA replaced under a running server: the old CA's certificates lose their open streams at once.</summary>
public sealed class CaReplacementTests
{
    [Fact]
    public async Task Replacing_the_ca_ends_the_open_streams_of_the_old_cas_certificates()
    {
        var server = new ServerFixture();
        await server.InitializeAsync();
        try
        {
            var client = server.Pki.IssueClient("old-ca-viewer");
            await using var video = await VideoClient.OpenAsync(server, client);
            await video.WaitForMoreFramesAsync(3, TimeSpan.FromSeconds(20));

            // A new CA made elsewhere, copied over the old one (what `init` in a fresh folder and a copy do).
            using var replacement = new TestPki();
            foreach (var file in new[] { "ca.key", "index.json", "crl.pem", "ca.crt" })
            {
                File.Copy(Path.Combine(replacement.Directory, file), Path.Combine(server.Pki.Directory, file), overwrite: true);
            }

            await Eventually.TrueAsync(() => video.Reading.IsCompleted, TimeSpan.FromSeconds(10));
            await server.WaitForAuditAsync(l => l.Contains("stream-end name=\"old-ca-viewer\"", StringComparison.Ordinal) && l.Contains("the local CA was replaced", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
