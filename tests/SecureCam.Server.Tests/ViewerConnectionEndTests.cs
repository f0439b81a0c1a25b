using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// How a viewer's connection ends while the server's sends wait on it. The server's TLS records go
/// straight to the socket (TlsOutput/DirectSocketOutput.cs), so a send that fails must end the connection as
/// Kestrel's own transport would, quietly. (That a cancelled send, which may cut a record in half, ends
/// the connection too is checked on the writer itself, SocketSendPipeWriterTests.)
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ViewerConnectionEndTests(ServerFixture server)
{
    /// <summary>
    /// A viewer reset in the middle of a stream (a phone leaving Wi-Fi, a killed browser). Seen with 200
    /// viewers: Kestrel's HTTP layer logged "Unexpected exception in TimingPipeFlusher.FlushAsync" for
    /// each reset viewer, and the endpoint kept writing frames into the broken stream.
    /// </summary>
    [Fact]
    public async Task A_reset_viewer_ends_its_stream_without_an_error_logged()
    {
        var logsBefore = server.Logs.Lines.Count;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (tcp, tls) = await OpenViewerAsync(server, server.Viewer, timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token); // not reading for a while, as a dropped phone
        var local = (IPEndPoint)tcp.LocalEndPoint!;
        await tls.DisposeAsync();

        tcp.LingerState = new LingerOption(true, 0);
        tcp.Close(); // RST
        tcp.Dispose();

        var remote = $"remote=127.0.0.1:{local.Port} ";
        var end = await server.WaitForAuditAsync(l => l.Contains("stream-end", StringComparison.Ordinal) && l.Contains(remote, StringComparison.Ordinal));
        Assert.Contains("reason=\"client left\"", end, StringComparison.Ordinal);
        var lines = server.Logs.Lines.Skip(logsBefore).ToList();
        var errors = lines.Where(l => l.Contains(" Error: ", StringComparison.Ordinal) || l.Contains(" Critical: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));

        // The reset was found by a send straight to the socket (not by Kestrel's reads, nor by its own
        // transport's send loop): the path this test is about was taken.
        Assert.Contains(lines, l => l.StartsWith("SecureCam.Server.TlsOutput.DirectSocketOutput Debug: ", StringComparison.Ordinal) && l.Contains("sending to the client failed", StringComparison.Ordinal));
    }

    /// <summary>
    /// A raw HTTP/1.1 viewer of /video with a small receive window, once it has read a few frames.
    /// It sends 1.5 MB after its request. They wait, unread, until the stream is over; once Kestrel's
    /// socket transport has buffered 1 MB of them it stops reading the socket, so a reset is found by
    /// the server's next send (as under load, when the read that would find it first waits for a core).
    /// </summary>
    private static async Task<(Socket Tcp, SslStream Tls)> OpenViewerAsync(ServerFixture target, ClientFiles client, CancellationToken cancellationToken)
    {
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8 * 1024 };
        await tcp.ConnectAsync(IPAddress.Loopback, target.Port, cancellationToken);
        var tls = new SslStream(new NetworkStream(tcp, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [client.Certificate],
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
            cancellationToken);
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /video HTTP/1.1\r\nHost: localhost\r\n\r\n"), cancellationToken);

        await tls.WriteAsync(new byte[1536 * 1024], cancellationToken);

        var buffer = new byte[64 * 1024];
        var read = 0;
        while (read < 100_000)
        {
            var n = await tls.ReadAsync(buffer, cancellationToken);
            Assert.True(n > 0, "the stream ended before the first frames");
            read += n;
        }

        return (tcp, tls);
    }
}
