using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureCam.Server.Tests.Support;
using SecureCam.Server.Tls;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The Kestrel behaviours SecureCam's TLS plumbing is built on (src/SecureCam.Server/TlsOutput/, the handshake
/// error capture, the connection feature), one test each, on a bare Kestrel with probes around its HTTPS layer.
/// A .NET update that changes one fails here saying what breaks and what to do; docs/architecture.md ("The TLS
/// plumbing") maps each piece to the upstream change that retires it, and <c>Server:TlsOutput=kestrel</c>
/// turns the output plumbing off meanwhile.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class KestrelAssumptionTests : IDisposable
{
    /// <summary>Several 16 KB records' worth of response.</summary>
    private const int BodyBytes = 100 * 1024;

    private const string Request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Connection_middleware_runs_in_the_order_added_around_UseHttps()
    {
        var before = new TaskCompletionSource<(int FirstByte, bool TlsFeatures, IDuplexPipe Transport)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = new TaskCompletionSource<(bool Authenticated, IDuplexPipe Transport)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kestrel = await ProbeKestrel.StartAsync(
            _pki,
            beforeTls: listen => listen.Use(next => async connection =>
            {
                // A peek, as AcmeTlsAlpnHook does: nothing consumed, nothing examined.
                var read = await connection.Transport.Input.ReadAsync();
                var first = read.Buffer.IsEmpty ? -1 : read.Buffer.FirstSpan[0];
                connection.Transport.Input.AdvanceTo(read.Buffer.Start);
                var tls = connection.Features.Get<ITlsHandshakeFeature>() is not null || connection.Features.Get<ISslStreamFeature>() is not null;
                before.TrySetResult((first, tls, connection.Transport));
                await next(connection);
            }),
            afterTls: listen => listen.Use(next => connection =>
            {
                after.TrySetResult((connection.Features.Get<ISslStreamFeature>()?.SslStream is { IsAuthenticated: true }, connection.Transport));
                return next(connection);
            }));

        var response = await GetAsync(kestrel.Port);

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var raw = await before.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var decrypted = await after.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(
            raw.FirstByte == 0x16 && !raw.TlsFeatures,
            $"Kestrel changed the order of connection middleware around UseHttps: one added before it saw first byte {raw.FirstByte} (a ClientHello starts with 0x16) and TLS features {raw.TlsFeatures}. "
            + "AcmeTlsAlpnHook's ClientHello peek and DirectSocketOutput must run before the HTTPS layer.");
        Assert.True(
            decrypted.Authenticated && !ReferenceEquals(decrypted.Transport, raw.Transport),
            "Kestrel no longer hands middleware added after UseHttps an authenticated ISslStreamFeature and its own transport over the SslStream: "
            + "TlsRecordSizedOutput writes its 16 KB segments to that SslStream (Server:TlsOutput=kestrel until it is adapted).");
    }

    [Fact]
    public async Task The_https_layer_writes_each_record_with_WriteAsync_to_the_output_a_middleware_put_before_it()
    {
        var writer = await RecordOutputAsync(beforeTls: true);

        Assert.True(
            writer.Bytes > BodyBytes,
            $"Kestrel's HTTPS layer no longer writes its records to the transport output a middleware put before it ({writer.Bytes} bytes came through it): "
            + "DirectSocketOutput's socket writer is bypassed. Set Server:TlsOutput=kestrel and adapt it.");
        Assert.True(
            writer.WriteAsyncCalls > 0 && writer.BufferCalls == 0,
            $"Kestrel's HTTPS layer now writes to the transport with GetMemory/GetSpan/Advance ({writer.BufferCalls} calls) instead of WriteAsync ({writer.WriteAsyncCalls}): "
            + "SocketSendPipeWriter still works but copies every record into its pending buffer, the copy DirectSocketOutput exists to avoid.");
    }

    [Fact]
    public async Task The_socket_transport_lends_its_socket_and_shuts_it_only_after_the_connection_middleware_returned()
    {
        var seen = new TaskCompletionSource<(bool HasSocket, EndPoint? Remote, Exception? SendAfterwards)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kestrel = await ProbeKestrel.StartAsync(
            _pki,
            beforeTls: listen => listen.Use(next => async connection =>
            {
                var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
                await ReplaceOutputAsync(next, connection);
                Exception? failure = null;
                try
                {
                    // What SocketSendPipeWriter does last (CompleteAsync sends what is left): a send after the HTTPS layer is over.
                    await (socket?.SendAsync(ReadOnlyMemory<byte>.Empty) ?? ValueTask.FromResult(0));
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    failure = e;
                }

                seen.TrySetResult((socket is not null, socket?.RemoteEndPoint, failure));
            }));

        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(IPAddress.Loopback, kestrel.Port);
        var local = tcp.LocalEndPoint;
        await using var tls = await AuthenticateAsync(new NetworkStream(tcp, ownsSocket: false));
        string response;
        try
        {
            response = await ExchangeAsync(tls);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("Kestrel's socket transport no longer closes the socket it lent once the connection is over: DirectSocketOutput relies on it to end every connection.");
        }

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var (hasSocket, remote, sendAfterwards) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(
            hasSocket && Equals(remote, local),
            $"Kestrel's socket transport no longer offers the connection's socket (IConnectionSocketFeature: {(hasSocket ? remote : "none")}, client {local}): "
            + "DirectSocketOutput then leaves every connection to Kestrel's own output, and the speed measured in docs/benchmarks.md is gone.");
        Assert.True(
            sendAfterwards is null,
            "Kestrel's socket transport shut the socket before the connection middleware returned: SocketSendPipeWriter's last sends "
            + $"(TransportOutputReplacement completes it then) would be lost. Set Server:TlsOutput=kestrel. {sendAfterwards?.Message}");
    }

    [Fact]
    public async Task Http_writes_to_the_output_a_middleware_put_after_UseHttps_and_never_completes_it()
    {
        var writer = await RecordOutputAsync(beforeTls: false);

        Assert.True(
            writer.Bytes > BodyBytes,
            $"Kestrel's HTTP layer no longer writes to the transport output a middleware put after UseHttps ({writer.Bytes} bytes came through it): "
            + "TlsRecordSizedOutput's 16 KB segments are bypassed (the records are Kestrel's 4 KB again).");
        Assert.True(
            writer.Completions == 0,
            "Kestrel's HTTP layer now completes the transport's output itself: TransportOutputReplacement completes it once the connection is over "
            + "and drops leftovers of a closed connection; check that this still holds before relying on either.");
    }

    [SkippableFact]
    public async Task Stock_kestrel_sends_responses_in_4_KB_tls_records()
    {
        Peer.Require("openssl");
        await using var kestrel = await ProbeKestrel.StartAsync(_pki);

        var (result, lengths) = await OpenSslRecords.FetchAsync(kestrel.Port, _pki.CaCertificatePath, client: null, "-tls1_3", Request);

        Assert.True(result.StandardOutput.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), result.StandardError);
        var response = lengths.Where(length => length > 1000).ToList();
        Assert.True(response.Count >= 2, $"a response of one record cannot tell; lengths: {string.Join(' ', lengths)}");

        // A 4 KB block of plaintext plus TLS 1.3's type byte and 16-byte tag: 4113 bytes on the wire.
        Assert.True(
            response.Max() <= 4096 + 256,
            $"Stock Kestrel now sends TLS records of up to {response.Max()} bytes (dotnet/aspnetcore#30545 fixed?): TlsRecordSizedOutput and TlsRecordBufferPool "
            + "may be retired; compare Server:TlsOutput=direct and kestrel (docs/benchmarks.md) before removing them. Lengths: " + string.Join(' ', response));
    }

    [Fact]
    public async Task A_connection_feature_set_before_UseHttps_reaches_the_tls_options_callback_and_every_request()
    {
        var marker = new Marker();
        Marker? inCallback = null;
        var inRequests = new List<(string Protocol, Marker? Seen)>();
        await using var kestrel = await ProbeKestrel.StartAsync(
            _pki,
            beforeTls: listen => listen.Use(next => connection =>
            {
                connection.Features.Set(marker);
                return next(connection);
            }),
            onConnection: context => inCallback = context.Connection.Features.Get<Marker>(),
            app: http =>
            {
                lock (inRequests)
                {
                    inRequests.Add((http.Request.Protocol, http.Features.Get<Marker>()));
                }

                return http.Response.WriteAsync("ok");
            });

        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            using var client = new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = TrustTestCa } })
            {
                DefaultRequestVersion = version,
                DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Timeout = TimeSpan.FromSeconds(30),
            };
            Assert.Equal("ok", await client.GetStringAsync(new Uri($"https://127.0.0.1:{kestrel.Port}/")));
        }

        const string Why = "ClientConnectionFeature (listener kind, ACME mark, handshake state, the certificate's one hash) is set on the connection before the handshake "
            + "and read in the TLS options callback and by every request.";
        Assert.True(ReferenceEquals(inCallback, marker), "Kestrel's TlsHandshakeCallbackContext.Connection no longer carries the features set by middleware before UseHttps. " + Why);
        Assert.Equal(["HTTP/1.1", "HTTP/2"], inRequests.Select(r => r.Protocol).Order(StringComparer.Ordinal));
        Assert.True(inRequests.All(r => ReferenceEquals(r.Seen, marker)), "HttpContext.Features no longer falls back to the connection's features (HTTP/1.1 or HTTP/2). " + Why);
    }

    [Fact]
    public async Task Kestrel_logs_a_failed_handshake_with_its_exception_in_the_https_middleware_category_inside_the_connection_log_scope()
    {
        var capture = new HandshakeErrorCapture();
        var feature = new TaskCompletionSource<ClientConnectionFeature>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var kestrel = await ProbeKestrel.StartAsync(
            _pki,
            beforeTls: listen =>
            {
                var logger = listen.ApplicationServices.GetRequiredService<ILogger<KestrelAssumptionTests>>();
                listen.Use(next => async connection =>
                {
                    // As TlsConnectionSetup's audit wrapper does.
                    var state = ClientConnectionFeature.Of(connection);
                    using (HandshakeErrorCapture.Open(logger, state))
                    {
                        await next(connection);
                    }

                    feature.TrySetResult(state);
                });
            },
            serverProtocols: SslProtocols.Tls13,
            logs: capture);

        // A TLS 1.2-only client against a TLS 1.3-only server: OpenSSL fails the handshake inside the HTTPS layer.
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(IPAddress.Loopback, kestrel.Port);
        await using var stream = new NetworkStream(tcp, ownsSocket: false);
        await Assert.ThrowsAnyAsync<Exception>(() => AuthenticateAsync(stream, SslProtocols.Tls12));

        var state = await feature.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(
            state.HandshakeFailure is not null && !state.ClientLeft,
            $"Kestrel no longer logs a failed handshake as {string.Join(" or ", HandshakeErrorCapture.FailureEvents)} with its exception under {HandshakeErrorCapture.Category}, "
            + "inside the connection's log scope: audit lines of refused clients lose the reason. "
            + "From .NET 11 read ITlsHandshakeFeature.Exception instead (docs/architecture.md, The TLS plumbing). Captured: " + (state.HandshakeFailure ?? "nothing"));
    }

    [Fact]
    public void Kestrel_does_not_yet_report_the_handshake_exception_on_ITlsHandshakeFeature()
    {
        Assert.True(
            typeof(ITlsHandshakeFeature).GetProperty("Exception") is null,
            "ITlsHandshakeFeature.Exception exists now (.NET 11, dotnet/aspnetcore#65807): read a failed handshake's reason there and retire "
            + "HandshakeErrorCapture's log capture (docs/architecture.md, The TLS plumbing).");
    }

    /// <summary>One request to a bare Kestrel whose transport output is recorded by a middleware before (or after) UseHttps.</summary>
    private async Task<RecordingWriter> RecordOutputAsync(bool beforeTls)
    {
        var recorded = new TaskCompletionSource<RecordingWriter>(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<ListenOptions> probe = listen => listen.Use(next => async connection => recorded.TrySetResult(await ReplaceOutputAsync(next, connection)));
        await using var kestrel = await ProbeKestrel.StartAsync(_pki, beforeTls: beforeTls ? probe : null, afterTls: beforeTls ? null : probe);

        var response = await GetAsync(kestrel.Port);

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        return await recorded.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Runs the rest of the connection with a recording writer in place of its transport's output, then puts the transport back.</summary>
    private static async Task<RecordingWriter> ReplaceOutputAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        var original = connection.Transport;
        var writer = new RecordingWriter(original.Output);
        connection.Transport = new DuplexPipe(original.Input, writer);
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = original;
        }

        return writer;
    }

    private async Task<string> GetAsync(int port)
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = await AuthenticateAsync(new NetworkStream(tcp, ownsSocket: false));
        return await ExchangeAsync(tls);
    }

    /// <summary>Sends <see cref="Request"/> and reads to the end of the connection; returns the response head.</summary>
    private static async Task<string> ExchangeAsync(SslStream tls)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tls.WriteAsync(Encoding.ASCII.GetBytes(Request), timeout.Token);
        using var received = new MemoryStream();
        await tls.CopyToAsync(received, timeout.Token);
        var text = Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)Math.Min(received.Length, 200));
        return text;
    }

    private async Task<SslStream> AuthenticateAsync(Stream stream, SslProtocols protocols = SslProtocols.None)
    {
        var tls = new SslStream(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    EnabledSslProtocols = protocols,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                    RemoteCertificateValidationCallback = TrustTestCa,
                },
                timeout.Token);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    private bool TrustTestCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 server)
        {
            return false;
        }

        using var ca = X509CertificateLoader.LoadCertificateFromFile(_pki.CaCertificatePath);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(server);
    }

    private sealed class Marker;

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes writes and flushes on to the transport's writer and counts how they came; completion is recorded, not passed on.</summary>
    private sealed class RecordingWriter(PipeWriter inner) : PipeWriter
    {
        private int _writeAsyncCalls;
        private int _bufferCalls;
        private int _completions;
        private long _bytes;

        public int WriteAsyncCalls => Volatile.Read(ref _writeAsyncCalls);

        public int BufferCalls => Volatile.Read(ref _bufferCalls);

        public int Completions => Volatile.Read(ref _completions);

        public long Bytes => Interlocked.Read(ref _bytes);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writeAsyncCalls);
            Interlocked.Add(ref _bytes, source.Length);
            return inner.WriteAsync(source, cancellationToken);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            Interlocked.Increment(ref _bufferCalls);
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0)
        {
            Interlocked.Increment(ref _bufferCalls);
            return inner.GetSpan(sizeHint);
        }

        public override void Advance(int bytes)
        {
            Interlocked.Add(ref _bytes, bytes);
            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => Interlocked.Increment(ref _completions);
    }

    /// <summary>A bare Kestrel on a loopback port: HTTPS with the test PKI's server certificate, probes before and after its HTTPS layer, and a 100 KB answer.</summary>
    private sealed class ProbeKestrel : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ProbeKestrel(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<ProbeKestrel> StartAsync(
            TestPki pki,
            Action<ListenOptions>? beforeTls = null,
            Action<ListenOptions>? afterTls = null,
            Action<TlsHandshakeCallbackContext>? onConnection = null,
            RequestDelegate? app = null,
            SslProtocols serverProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            HandshakeErrorCapture? logs = null)
        {
            var issued = Path.Combine(pki.Directory, "issued", "server");
            var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(issued, "cert.pem"), Path.Combine(issued, "key.pem"));
            var certificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
            var port = FreePort.Tcp();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Production" });
            builder.Logging.ClearProviders();
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs).AddFilter<HandshakeErrorCapture>(HandshakeErrorCapture.Category, LogLevel.Debug);
            }

            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                beforeTls?.Invoke(listen);
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = context =>
                    {
                        onConnection?.Invoke(context);
                        return ValueTask.FromResult(new SslServerAuthenticationOptions
                        {
                            ServerCertificateContext = certificateContext,
                            EnabledSslProtocols = serverProtocols,
                            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                        });
                    },
                });
                afterTls?.Invoke(listen);
            }));
            var web = builder.Build();
            ((IApplicationBuilder)web).Run(app ?? (http => http.Response.Body.WriteAsync(new byte[BodyBytes]).AsTask()));
            await web.StartAsync();
            return new ProbeKestrel(web, port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
