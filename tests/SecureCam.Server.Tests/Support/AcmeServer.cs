using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureCam.Acme;
using SecureCam.Server.Hosting;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests.Support;

/// <summary>
/// A real SecureCam server with ACME on, over a test PKI: HTTPS on Pebble's tlsPort (where Pebble
/// validates tls-alpn-01) and plain HTTP on its httpPort (http-01), both on every loopback address,
/// since Pebble may try ::1 first. Without a Pebble the directory is a closed port (every attempt fails).
/// </summary>
internal sealed class AcmeServer : IAsyncDisposable
{
    public const string Domain = "cam.securecam.test";

    private readonly WebApplication _app;

    private AcmeServer(WebApplication app, TestPki pki, ClientFiles viewer, int port, CapturingLoggerProvider logs)
    {
        _app = app;
        Pki = pki;
        Viewer = viewer;
        Port = port;
        Logs = logs;
    }

    public TestPki Pki { get; }

    /// <summary>Where the server keeps ACME state by default: PKI/acme.</summary>
    public string AcmeDirectory => Path.Combine(Pki.Directory, "acme");

    public ClientFiles Viewer { get; }

    public int Port { get; }

    public CapturingLoggerProvider Logs { get; }

    public AcmeCertificateManager Manager => _app.Services.GetRequiredService<AcmeCertificateManager>();

    public T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts the server; <paramref name="pebble"/> null points it at a closed port instead of a CA.
    /// <paramref name="prepare"/> runs on the PKI before the start (e.g. to store a certificate).
    /// </summary>
    public static async Task<AcmeServer> StartAsync(PebbleServer? pebble, string challenge, Dictionary<string, string?>? extra = null, Action<TestPki>? prepare = null)
    {
        var pki = new TestPki();
        prepare?.Invoke(pki);
        var viewer = pki.IssueClient("viewer");
        var port = pebble?.TlsPort ?? FreePort.Tcp();
        var settings = new Dictionary<string, string?>
        {
            ["Server:Listen"] = $"https://localhost:{port}",
            ["Server:PkiDirectory"] = pki.Directory,
            ["Camera:Source"] = "synthetic",
            ["Camera:Width"] = "320",
            ["Camera:Height"] = "180",
            ["Camera:Fps"] = "15",
            ["Acme:Enabled"] = "true",
            ["Acme:DirectoryUrl"] = pebble?.DirectoryUri.AbsoluteUri ?? $"https://127.0.0.1:{FreePort.Tcp()}/dir",
            ["Acme:Email"] = "owner@securecam.test",
            ["Acme:TermsAccepted"] = "true",
            ["Acme:Domains:0"] = Domain,
            ["Acme:Challenge"] = challenge,
            ["Acme:TrustedRootFile"] = pebble?.TrustRootPath,
            ["Acme:RetryFirstDelaySeconds"] = "1",
            ["Acme:RetryMaxDelaySeconds"] = "4",
        };
        if (pebble is not null && challenge == ChallengeTypes.Http01)
        {
            // No Server:HttpListen: Acme:HttpPort opens the plain listener itself (every address).
            settings["Acme:HttpPort"] = pebble.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var logs = new CapturingLoggerProvider();
        var app = SecureCamHost.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), builder => builder.Logging.AddProvider(logs));
        await app.StartAsync().ConfigureAwait(false);
        return new AcmeServer(app, pki, viewer, port, logs);
    }

    /// <summary>The certificate the server presents for <paramref name="serverName"/> (an IP address: no SNI), handshaking with the viewer's certificate.</summary>
    public Task<X509Certificate2> ServerCertificateAsync(string serverName) =>
        ServerCertificateAsync(new IPEndPoint(IPAddress.Loopback, Port), serverName);

    /// <summary>The certificate the server presents on <paramref name="endpoint"/>; <paramref name="serverName"/> an IP address (or the endpoint's own) sends no SNI.</summary>
    public async Task<X509Certificate2> ServerCertificateAsync(IPEndPoint endpoint, string? serverName = null)
    {
        serverName ??= endpoint.Address.ToString();
        using var tcp = new TcpClient(endpoint.AddressFamily);
        await tcp.ConnectAsync(endpoint).ConfigureAwait(false);
        await using var tls = new SslStream(tcp.GetStream());
        X509Certificate2? seen = null;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ClientCertificates = [Viewer.Certificate],
            ApplicationProtocols = [SslApplicationProtocol.Http11],

            // The test judges the certificate itself (issuer, serial); any chain is let through here.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seen = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                return true;
            },
        }).ConfigureAwait(false);
        return seen!;
    }

    /// <summary>An HttpClient that reaches the server under <see cref="Domain"/> (SNI and Host), presenting the viewer certificate; any server certificate is accepted.</summary>
    public HttpClient DomainClient()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [Viewer.Certificate],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{Domain}:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The <c>acme</c> object of /api/status, fetched over HTTPS with the viewer certificate.</summary>
    public async Task<JsonElement> AcmeStatusAsync()
    {
        using var http = DomainClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/status", UriKind.Relative)).ConfigureAwait(false));
        return document.RootElement.GetProperty("acme").Clone();
    }

    /// <summary>Waits (generously: a loaded two-core machine) until <paramref name="condition"/> holds; the failure shows the manager's status.</summary>
    public Task WaitUntilAsync(Func<AcmeManagerStatus, bool> condition, TimeSpan timeout) =>
        Eventually.TrueAsync(() => condition(Manager.Status), timeout, () => $"status: {Manager.Status}\nlog:\n{string.Join('\n', Logs.Lines.Where(l => l.Contains("acme", StringComparison.OrdinalIgnoreCase)))}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Pki.Dispose();
    }
}
