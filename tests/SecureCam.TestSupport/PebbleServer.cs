using System.Text.Json;

namespace SecureCam.TestSupport;

/// <summary>
/// A real Pebble (Debian package) on free loopback ports, with pebble-challtestsrv as its DNS so every
/// test name resolves to 127.0.0.1. Can be stopped and started again on the same ports. Shared by the
/// ACME library's tests and the server's: a responder (or the server) must listen on <see cref="HttpPort"/>
/// (http-01) or <see cref="TlsPort"/> (tls-alpn-01), where Pebble validates.
/// </summary>
public sealed class PebbleServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory;
    private readonly PebbleOptions _options;
    private readonly string _configPath;
    private readonly int _dnsPort;
    private RunningProcess? _dns;
    private RunningProcess? _pebble;

    private PebbleServer(PebbleOptions options)
    {
        _options = options;
        _directory = new TempDirectory("securecam-pebble");
        // Pebble's own HTTPS listeners need a certificate (Debian ships none): a localhost one from a test CA.
        using (var pki = TestPki.InMemory("SecureCam test CA for Pebble"))
        {
            TrustRootPath = _directory.Combine("ca.pem");
            File.WriteAllText(TrustRootPath, pki.Root.Certificate.ExportCertificatePem());
            pki.IssueServer("localhost", "localhost", "127.0.0.1", "::1").Write(_directory.Path, "pebble");
        }

        AcmePort = FreePort.Tcp();
        ManagementPort = FreePort.Tcp();
        HttpPort = FreePort.Tcp();
        TlsPort = FreePort.Tcp();
        _dnsPort = FreePort.Udp();
        _configPath = _directory.Combine("pebble-config.json");
        WriteConfig();
    }

    public int AcmePort { get; }

    public int ManagementPort { get; }

    /// <summary>Where Pebble's VA connects for http-01.</summary>
    public int HttpPort { get; }

    /// <summary>Where Pebble's VA connects for tls-alpn-01.</summary>
    public int TlsPort { get; }

    /// <summary>The test CA that signed Pebble's own HTTPS certificate.</summary>
    public string TrustRootPath { get; }

    public Uri DirectoryUri => new($"https://127.0.0.1:{AcmePort}/dir");

    public string Output => (_dns?.Output ?? "") + (_pebble?.Output ?? "");

    public static async Task<PebbleServer> StartAsync(PebbleOptions? options = null)
    {
        Peer.Require("pebble");
        Peer.Require("pebble-challtestsrv", "pebble");
        var server = new PebbleServer(options ?? new PebbleOptions());
        try
        {
            await server.StartDnsAsync().ConfigureAwait(false);
            await server.StartPebbleAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills Pebble (the DNS server stays), as a CA outage.</summary>
    public async Task StopAsync()
    {
        if (_pebble is not null)
        {
            await _pebble.DisposeAsync().ConfigureAwait(false);
            _pebble = null;
        }
    }

    /// <summary>Starts Pebble again on the same ports (a new CA and an empty account database, as Pebble keeps nothing).</summary>
    public Task StartAgainAsync() => StartPebbleAsync();

    /// <summary>Pebble's issuing root and intermediate (PEM), from the management interface.</summary>
    public async Task<(string Root, string Intermediate)> GetIssuersAsync()
    {
        using var handler = new HttpClientHandler();
        var trust = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(TrustRootPath);
        handler.ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
        {
            chain!.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trust);
            return chain.Build(certificate!);
        };
        using var http = new HttpClient(handler);
        var root = await http.GetStringAsync(new Uri($"https://127.0.0.1:{ManagementPort}/roots/0")).ConfigureAwait(false);
        var intermediate = await http.GetStringAsync(new Uri($"https://127.0.0.1:{ManagementPort}/intermediates/0")).ConfigureAwait(false);
        return (root, intermediate);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_dns is not null)
        {
            await _dns.DisposeAsync().ConfigureAwait(false);
        }

        _directory.Dispose();
    }

    private async Task StartDnsAsync()
    {
        _dns = ExternalProcess.Start("pebble-challtestsrv",
        [
            "-dns01", $"127.0.0.1:{_dnsPort}",
            "-http01", "", "-https01", "", "-tlsalpn01", "",
            "-management", $"127.0.0.1:{FreePort.Tcp()}",
            "-defaultIPv6", "",
        ]);
        await _dns.WaitForOutputAsync("Starting management server", StartTimeout).ConfigureAwait(false);
    }

    private async Task StartPebbleAsync()
    {
        var environment = new Dictionary<string, string?>
        {
            ["PEBBLE_VA_NOSLEEP"] = "1",
            ["PEBBLE_WFE_NONCEREJECT"] = _options.NonceRejectPercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PEBBLE_AUTHZREUSE"] = _options.AuthorizationReusePercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        _pebble = ExternalProcess.Start("pebble", ["-config", _configPath, "-dnsserver", $"127.0.0.1:{_dnsPort}"], _directory.Path, environment);
        await _pebble.WaitForOutputAsync("ACME directory available", StartTimeout).ConfigureAwait(false);
    }

    private void WriteConfig()
    {
        var pebble = new Dictionary<string, object>
        {
            ["listenAddress"] = $"127.0.0.1:{AcmePort}",
            ["managementListenAddress"] = $"127.0.0.1:{ManagementPort}",
            ["certificate"] = _directory.Combine("pebble.crt"),
            ["privateKey"] = _directory.Combine("pebble.key"),
            ["httpPort"] = HttpPort,
            ["tlsPort"] = TlsPort,
            ["ocspResponderURL"] = "",
            ["externalAccountBindingRequired"] = _options.ExternalAccountMacKeys is not null,
        };
        if (_options.ExternalAccountMacKeys is not null)
        {
            pebble["externalAccountMACKeys"] = _options.ExternalAccountMacKeys;
        }

        if (_options.CertificateValiditySeconds is { } seconds)
        {
            pebble["certificateValidityPeriod"] = seconds;
        }

        File.WriteAllText(_configPath, JsonSerializer.Serialize(new Dictionary<string, object> { ["pebble"] = pebble }));
    }
}
