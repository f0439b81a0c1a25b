using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace SecureCam.Bench.Acme;

/// <summary>
/// Pebble (Debian package) plus pebble-challtestsrv as its DNS, on free loopback ports, for the ACME
/// workload. Every authorization is validated afresh (PEBBLE_AUTHZREUSE=0) and no good nonce is
/// rejected (PEBBLE_WFE_NONCEREJECT=0), so both clients do the same work on every run.
/// </summary>
internal sealed class BenchPebble : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly StringBuilder _log = new();

    private BenchPebble(string directory)
    {
        Directory = directory;
        AcmePort = FreeTcpPort();
        HttpPort = FreeTcpPort();
        DnsPort = FreeTcpPort();
    }

    public string Directory { get; }

    public int AcmePort { get; }

    /// <summary>Where Pebble validates http-01.</summary>
    public int HttpPort { get; }

    public int DnsPort { get; }

    /// <summary>The throwaway CA that signed Pebble's own HTTPS certificate.</summary>
    public string TrustRootPath => Path.Combine(Directory, "ca.pem");

    public Uri DirectoryUri => new($"https://127.0.0.1:{AcmePort}/dir");

    public static async Task<BenchPebble> StartAsync(string pebble, string challtestsrv, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"securecam-bench-pebble-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        var server = new BenchPebble(directory);
        try
        {
            server.WriteTlsCertificate();
            server.WriteConfig();
            await server.StartAsync(challtestsrv,
                ["-dns01", $"127.0.0.1:{server.DnsPort}", "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", $"127.0.0.1:{FreeTcpPort()}", "-defaultIPv6", ""],
                [], "Starting management server", cancellationToken).ConfigureAwait(false);
            await server.StartAsync(pebble,
                ["-config", Path.Combine(directory, "pebble-config.json"), "-dnsserver", $"127.0.0.1:{server.DnsPort}"],
                [("PEBBLE_VA_NOSLEEP", "1"), ("PEBBLE_WFE_NONCEREJECT", "0"), ("PEBBLE_AUTHZREUSE", "0")],
                "ACME directory available", cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartAsync(string program, string[] arguments, (string Name, string Value)[] environment, string readyText, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Directory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(e.Data);
            }

            if (e.Data.Contains(readyText, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Start();
        _processes.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"{program} did not start: {_log}");
        }
    }

    private void WriteTlsCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=securecam-bench throwaway CA for Pebble", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var leaf = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(TrustRootPath, ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Directory, "cert.pem"), leaf.ExportCertificatePem());
        Pki.AtomicFile.WriteText(Path.Combine(Directory, "key.pem"), key.ExportPkcs8PrivateKeyPem(), Pki.AtomicFile.Secret);
    }

    private void WriteConfig()
    {
        var config = new
        {
            pebble = new
            {
                listenAddress = $"127.0.0.1:{AcmePort}",
                managementListenAddress = $"127.0.0.1:{FreeTcpPort()}",
                certificate = Path.Combine(Directory, "cert.pem"),
                privateKey = Path.Combine(Directory, "key.pem"),
                httpPort = HttpPort,
                tlsPort = FreeTcpPort(),
                ocspResponderURL = "",
                externalAccountBindingRequired = false,
            },
        };
        File.WriteAllText(Path.Combine(Directory, "pebble-config.json"), JsonSerializer.Serialize(config));
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
