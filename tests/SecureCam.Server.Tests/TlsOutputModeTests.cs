using System.Net;
using Microsoft.Extensions.Configuration;
using SecureCam.Server.Configuration;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// <c>Server:TlsOutput</c>: <c>direct</c> (the default: full-size records straight to the socket) and <c>kestrel</c>
/// (stock Kestrel, nothing of src/SecureCam.Server/TlsOutput/ runs) must both serve the camera to a client
/// certificate and to nobody else; what tells them apart on the wire is the size of their TLS records.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TlsOutputModeTests
{
    [Theory]
    [InlineData(null, "Direct")]
    [InlineData("direct", "Direct")]
    [InlineData(" Kestrel ", "Kestrel")]
    [InlineData("KESTREL", "Kestrel")]
    public void The_tls_output_is_direct_unless_set_to_kestrel_in_any_case(string? value, string expected)
    {
        var settings = TestSettings.Read<ServerSettings>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Server:TlsOutput"] = value }).Build());

        Assert.Equal(expected, settings.TlsOutput.ToString());
    }

    [Fact]
    public void A_bad_tls_output_names_its_key()
    {
        var ex = Assert.Throws<SettingException>(() => TestSettings.Read<ServerSettings>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Server:TlsOutput"] = "fast" }).Build()));

        Assert.Equal("Server:TlsOutput: 'fast' is not one of direct, kestrel", ex.Message);
    }

    [SkippableTheory]
    [InlineData("direct")]
    [InlineData("kestrel")]
    public async Task Each_output_serves_snapshot_and_video_to_a_client_certificate_and_to_nobody_else(string mode)
    {
        Peer.Require("openssl");
        var server = new ServerFixture(_ => new Dictionary<string, string?> { ["Server:TlsOutput"] = mode });
        await server.InitializeAsync();
        try
        {
            foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
            {
                using var http = server.CreateClient(server.Viewer, version);
                using var response = await http.GetAsync("/snapshot");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
                var jpeg = await response.Content.ReadAsByteArrayAsync();
                Assert.True(jpeg is [0xFF, 0xD8, .., 0xFF, 0xD9], $"{mode}, HTTP/{version}: not a whole JPEG ({jpeg.Length} bytes)");
            }

            await using (var video = await VideoClient.OpenAsync(server, server.Viewer))
            {
                await video.WaitForMoreFramesAsync(5, TimeSpan.FromSeconds(20));
            }

            using (var stranger = server.CreateClient(client: null))
            {
                await Assert.ThrowsAsync<HttpRequestException>(() => stranger.GetAsync("/snapshot"));
            }

            var (result, lengths) = await OpenSslRecords.FetchAsync(
                server.Port, server.Pki.CaCertificatePath, server.Viewer, "-tls1_3", "GET /snapshot HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            Assert.True(result.StandardOutput.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), result.StandardError);
            var response13 = lengths.Where(length => length > 1000).ToList();
            var described = $"{mode}: application data record lengths: {string.Join(' ', lengths)}";
            Assert.True(response13.Count >= 2, "a response of one record cannot tell; " + described);
            if (mode == "direct")
            {
                Assert.True(response13[..^1].All(length => length > TlsRecordSizeTests.FullRecordPlaintext), described);
            }
            else
            {
                // Kestrel's own 4 KB blocks, one record each (4113 bytes on the wire): none of ours in the way.
                Assert.True(response13.Max() <= 4096 + 256, described);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
