using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureCam.Server.Tests.Support;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Tests;

/// <summary>
/// A viewer whose connection is reset in the middle of a stream (a phone leaving Wi-Fi, a killed
/// browser) ends its stream quietly. The server's records go straight to the socket, and a send that
/// fails must end the response as Kestrel's own transport would. It must not surface as an error in
/// Kestrel's HTTP layer: seen with 200 viewers, that layer logged "Unexpected exception in
/// TimingPipeFlusher.FlushAsync" for each reset viewer, and the endpoint kept writing frames into the
/// broken stream.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ViewerResetTests(ServerFixture server)
{
    [Fact]
    public async Task A_reset_viewer_ends_its_stream_without_an_error_logged()
    {
        var logsBefore = server.Logs.Lines.Count;
        var directBefore = DirectSocketOutput.Connections;
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        var local = (IPEndPoint)tcp.LocalEndPoint!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using (var tls = new SslStream(new NetworkStream(tcp, ownsSocket: false)))
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [server.Viewer.Certificate],
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /video HTTP/1.1\r\nHost: localhost\r\n\r\n"), timeout.Token);

            // Bytes after the request wait, unread, until the stream is over; once Kestrel's socket
            // transport has buffered 1 MB of them it stops reading the socket. The reset below is then
            // found by the server's next send (as under load, when the read that would find it first
            // waits for a core): the case this test is about.
            await tls.WriteAsync(new byte[1536 * 1024], timeout.Token);

            var buffer = new byte[64 * 1024];
            var read = 0;
            while (read < 100_000)
            {
                var n = await tls.ReadAsync(buffer, timeout.Token);
                Assert.True(n > 0, "the stream ended before the first frames");
                read += n;
            }
        }

        Assert.True(DirectSocketOutput.Connections > directBefore, "the connection's records did not go straight to the socket");
        tcp.LingerState = new LingerOption(true, 0);
        tcp.Close(); // RST

        var remote = $"remote=127.0.0.1:{local.Port} ";
        var end = await server.WaitForAuditAsync(l => l.Contains("stream-end", StringComparison.Ordinal) && l.Contains(remote, StringComparison.Ordinal));
        Assert.Contains("reason=\"client left\"", end, StringComparison.Ordinal);
        var errors = server.Logs.Lines.Skip(logsBefore).Where(l => l.Contains(" Error: ", StringComparison.Ordinal) || l.Contains(" Critical: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
