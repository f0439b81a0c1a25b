using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureCam.Pki;
using SecureCam.Server.Hosting;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests.Support;

/// <summary>
/// One real SecureCam server (Kestrel on a free loopback port, synthetic camera at 30 fps) over a PKI
/// made at test time, shared by the tests of one collection so two cores are not fought over.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly Func<TestPki, IReadOnlyDictionary<string, string?>>? _extraSettings;
    private readonly Action<TestPki, IServiceCollection>? _services;
    private WebApplication? _app;

    public ServerFixture()
    {
    }

    /// <summary>A server with more settings, made once the test PKI exists (e.g. a Telemetry section naming a device issued there).</summary>
    /// <param name="services">Replaces services after the server's own (e.g. the light's hardware with a test stand-in).</param>
    internal ServerFixture(Func<TestPki, IReadOnlyDictionary<string, string?>> extraSettings, Action<TestPki, IServiceCollection>? services = null)
    {
        _extraSettings = extraSettings;
        _services = services;
    }

    internal TestPki Pki { get; private set; } = null!;

    internal ClientFiles Viewer { get; private set; } = null!;

    internal ClientFiles Admin { get; private set; } = null!;

    internal CapturingLoggerProvider Logs { get; } = new();

    public int Port { get; private set; }

    public int HttpPort { get; private set; }

    public string BaseUrl => $"https://127.0.0.1:{Port}";

    internal WebApplication App => _app!;

    public async Task InitializeAsync()
    {
        Pki = new TestPki();
        Viewer = Pki.IssueClient("viewer");
        Admin = Pki.IssueClient("admin", ClientRole.Admin);
        Port = FreePort.Tcp();
        HttpPort = FreePort.Tcp();
        var settings = new Dictionary<string, string?>
        {
            ["Server:Listen"] = BaseUrl,
            ["Server:HttpListen"] = $"http://127.0.0.1:{HttpPort}",
            ["Server:PkiDirectory"] = Pki.Directory,
            ["Camera:Source"] = "synthetic",
            ["Camera:Width"] = "640",
            ["Camera:Height"] = "360",
            ["Camera:Fps"] = "30",
        };
        foreach (var (key, value) in _extraSettings?.Invoke(Pki) ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        // Debug from the direct socket output too: its one Debug line says a send found the client gone.
        _app = SecureCamHost.Build(configuration, builder =>
        {
            builder.Logging
                .AddProvider(Logs)
                .AddFilter<CapturingLoggerProvider>("SecureCam.Server.TlsOutput.DirectSocketOutput", LogLevel.Debug);
            _services?.Invoke(Pki, builder.Services);
        });
        await _app.StartAsync().ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        Pki.Dispose();
    }

    /// <summary>An HttpClient that trusts only the test CA and presents <paramref name="client"/> (if any); <paramref name="onConnect"/> sees each new TCP connection.</summary>
    internal HttpClient CreateClient(ClientFiles? client, Version? version = null, Action<X509Certificate2>? onServerCertificate = null, Action? onConnect = null)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(Pki.CaCertificatePath);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = client is null ? null : new X509CertificateCollection { client.Certificate },
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is not X509Certificate2 server)
                    {
                        return false;
                    }

                    onServerCertificate?.Invoke(server);
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(server);
                },
            },
        };
        if (onConnect is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                onConnect();
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return new HttpClient(handler)
        {
            BaseAddress = new Uri(BaseUrl),
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Runs curl against the server, trusting only the test CA; <paramref name="client"/> null presents no certificate.</summary>
    internal Task<ProcessResult> CurlAsync(ClientFiles? client, string path, params string[] extra)
    {
        var curl = Peer.Require("curl");
        var arguments = new List<string> { "-sS", "--max-time", "15", "--cacert", Pki.CaCertificatePath };
        if (client is not null)
        {
            arguments.AddRange(["--cert", client.CertificatePath, "--key", client.KeyPath]);
        }

        arguments.AddRange(extra);
        arguments.Add(BaseUrl + path);
        return ExternalProcess.RunAsync(curl, arguments, timeout: TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for an audit line that satisfies <paramref name="match"/>; returns it.</summary>
    internal async Task<string> WaitForAuditAsync(Func<string, bool> match, TimeSpan? timeout = null, ProcessResult? curlResult = null, int skip = 0)
    {
        string? found = null;
        await Eventually.TrueAsync(
            () => (found = Logs.Audit.Skip(skip).FirstOrDefault(match)) is not null,
            timeout ?? TimeSpan.FromSeconds(10),
            () => "no matching audit line; audit so far:\n" + string.Join('\n', Logs.Audit) + (curlResult is null ? string.Empty : "\nclient: " + curlResult)).ConfigureAwait(false);
        return found!;
    }
}
