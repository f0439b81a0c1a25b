using System.Net;
using SecureCam.Bench.Tls;
using SecureCam.Bench.Upstream;
using SecureCam.Bench.Workloads;
using SecureCam.Bench.Sampling;
using SecureCam.TestSupport;

namespace SecureCam.Bench.Tests;

/// <summary>
/// The two workloads against a real mutual-TLS server: nginx with ssl_verify_client, serving a static
/// snapshot and proxying the bench's own plain-HTTP MJPEG upstream — the setup compare.sh measures.
/// </summary>
public sealed class NginxMutualTlsTests
{
    [SkippableFact]
    public async Task Handshakes_are_full_and_viewers_receive_every_frame_through_nginx()
    {
        var nginx = Peer.Require("nginx", "nginx-light");
        using var temp = new TempDirectory("bench-nginx");
        using var ca = TestPki.InMemory("Bench Test CA");
        var caCert = ca.Root.Write(temp.Path, "ca").Cert;
        var (serverCert, serverKey) = ca.IssueServer("localhost", "localhost", "127.0.0.1").Write(temp.Path, "server");
        var (clientCert, clientKey) = ca.IssueViewer("bench").Write(temp.Path, "client");
        var snapshot = MjpegStreams.Jpeg(20_000, 5);
        await File.WriteAllBytesAsync(temp.Combine("snapshot.jpg"), snapshot);

        await using var frames = new PacedJpegFrames([MjpegStreams.Jpeg(30_000, 1), MjpegStreams.Jpeg(31_000, 2)], fps: 30);
        await using var upstream = new MjpegUpstreamServer(new IPEndPoint(IPAddress.Loopback, 0), frames);
        upstream.Start();

        var port = FreePort.Tcp();
        await File.WriteAllTextAsync(temp.Combine("nginx.conf"), $$"""
            worker_processes 1;
            pid {{temp.Combine("nginx.pid")}};
            error_log stderr warn;
            events { worker_connections 256; }
            http {
              log_format reuse 'reused=$ssl_session_reused status=$status';
              client_body_temp_path {{temp.Path}}; proxy_temp_path {{temp.Path}};
              server {
                listen 127.0.0.1:{{port}} ssl;
                ssl_certificate {{serverCert}};
                ssl_certificate_key {{serverKey}};
                ssl_client_certificate {{caCert}};
                ssl_verify_client on;
                access_log {{temp.Combine("access.log")}} reuse;
                location = /snapshot { default_type image/jpeg; alias {{temp.Combine("snapshot.jpg")}}; }
                location = /video { proxy_pass http://{{upstream.LocalEndPoint}}; proxy_buffering off; proxy_http_version 1.1; }
              }
            }
            """);
        await using var server = ExternalProcess.Start(nginx, ["-c", temp.Combine("nginx.conf"), "-p", temp.Path, "-g", "daemon off;"], temp.Path);
        await Eventually.TrueAsync(() => File.Exists(temp.Combine("nginx.pid")), TimeSpan.FromSeconds(20), () => "nginx did not start:\n" + server.Output);

        using var identity = ClientIdentity.Load(clientCert, clientKey, caCert);
        var snapshotUrl = new Uri($"https://127.0.0.1:{port}/snapshot");
        var handshakes = await new HandshakeWorkload([new MutualTlsConnector(snapshotUrl, identity)])
        {
            Concurrency = 2,
            Duration = TimeSpan.FromSeconds(2),
            MaxConnections = 40,
            ConnectionTimeout = TimeSpan.FromSeconds(20),
        }.RunAsync(ServerSamplers.None, CancellationToken.None);

        Assert.True(handshakes.Errors == 0, string.Join("; ", handshakes.TopErrors));
        Assert.InRange(handshakes.Connections, 1, 40);
        Assert.Equal(snapshot.Length, handshakes.SnapshotBytes);
        Assert.Equal(handshakes.Connections, handshakes.TotalMs.Count);

        // nginx saw one request per connection, and not one of them resumed a TLS session.
        var log = await File.ReadAllLinesAsync(temp.Combine("access.log"));
        Assert.Equal(handshakes.Connections, log.Count(l => l == "reused=. status=200"));
        Assert.DoesNotContain(log, l => l.StartsWith("reused=r", StringComparison.Ordinal));

        // The control: a client that does resume (openssl with a saved session) shows up as "r".
        var openssl = Peer.Require("openssl");
        foreach (var session in new[] { "-sess_out", "-sess_in" })
        {
            var run = await ExternalProcess.RunAsync(
                openssl,
                ["s_client", "-quiet", "-connect", $"127.0.0.1:{port}", "-CAfile", caCert, "-cert", clientCert, "-key", clientKey, session, temp.Combine("session.pem")],
                standardInput: "GET /snapshot HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                timeout: TimeSpan.FromSeconds(30));
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        Assert.Equal("reused=r status=200", (await File.ReadAllLinesAsync(temp.Combine("access.log")))[^1]);

        var sampler = new ProcessSampler(server.Id, TimeSpan.FromMilliseconds(200));
        sampler.Start();
        await using var samplers = new ServerSamplers([sampler]);
        // The viewers offer ChaCha20-Poly1305 alone (--cipher-suites), so that is what every stream must use
        // (TLS 1.2: nginx 1.22 enables TLS 1.3 only when ssl_protocols says so).
        var chacha = ClientCipherSuites.Parse(["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"]);
        var viewers = await new ViewersWorkload([new MutualTlsConnector(new Uri($"https://127.0.0.1:{port}/video"), identity, chacha)])
        {
            Viewers = 3,
            Duration = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromSeconds(0.5),
            ConnectConcurrency = 2,
            ConnectTimeout = TimeSpan.FromSeconds(20),
        }.RunAsync(samplers, CancellationToken.None);

        Assert.True(viewers.Errors == 0, string.Join("; ", viewers.TopErrors));
        Assert.Equal(3, viewers.Connected);
        Assert.Equal(new Dictionary<string, int> { ["Tls12 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"] = 3 }, viewers.NegotiatedTls);
        Assert.Equal(0, viewers.PartsNotJpeg);
        Assert.Equal(0, viewers.PartsWithoutCaptureTime);
        Assert.Equal(viewers.FramesDelivered, viewers.DelayMs.Count);

        // Generous: the machine is shared, but a 30 fps source must reach every viewer at a useful rate.
        Assert.True(viewers.ViewerFps.Min >= 5, $"slowest viewer {viewers.ViewerFps.Min} fps");
        Assert.InRange(viewers.MeanFrameKb, 29, 31);
        Assert.NotNull(viewers.Server);
        Assert.True(viewers.Server.RssMaxMb > 0);
    }
}
