using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SecureCam.Acme;
using SecureCam.Camera.Jpeg;
using SecureCam.Network.Listening;
using SecureCam.Pki;
using SecureCam.Telemetry;
using SharpFuzz;

namespace SecureCam.Fuzz;

/// <summary>
/// One harness per parser of untrusted bytes. `SecureCam.Fuzz TARGET` runs under afl-fuzz (SharpFuzz's
/// out-of-process mode); `SecureCam.Fuzz TARGET --replay FILE…` runs inputs once, outside AFL, so a crash
/// found by the fuzzer can be replayed and kept as a regression test. A harness fails only on an
/// exception its parser promises never to throw.
/// </summary>
public static class Program
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> Targets = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["clienthello"] = ClientHello,
        ["jpeg"] = Jpeg,
        ["crl"] = Crl,
        ["telemetry"] = Telemetry,
        ["acme"] = Acme,
        ["proc"] = Proc,
    };

    private static readonly Lazy<X509Certificate2> FuzzCa = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SecureCam Fuzz CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    });

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: SecureCam.Fuzz {string.Join('|', Targets.Keys)} [--replay FILE...]");
            return 2;
        }

        if (args.Length > 1 && args[1] == "--replay")
        {
            foreach (var file in args.Skip(2))
            {
                target(File.ReadAllBytes(file));
            }

            return 0;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target(copy.ToArray());
        });
        return 0;
    }

    /// <summary>The tls-alpn-01 ClientHello peek: false for anything that is not a ClientHello, never an exception.</summary>
    private static void ClientHello(byte[] input)
    {
        _ = TlsClientHelloAlpn.TryRead(input, out _);
        _ = TlsClientHelloAlpn.OffersAcmeTls1(input);
    }

    /// <summary>The MJPEG splitter, fed in pieces whose sizes the input's first byte picks: frames out, never an exception.</summary>
    private static void Jpeg(byte[] input)
    {
        var chunk = input.Length == 0 ? 1 : 1 + (input[0] * 7);
        var splitter = new JpegStreamSplitter(64 * 1024, (_, _) => { }, _ => { }, _ => { });
        for (var at = 0; at < input.Length; at += chunk)
        {
            splitter.Push(input.AsSpan(at, Math.Min(chunk, input.Length - at)));
        }

        splitter.Reset();
    }

    /// <summary>The CRL reader: a PkiException for anything that is not a CRL our CA signed, nothing else.</summary>
    private static void Crl(byte[] input)
    {
        try
        {
            _ = RevocationList.Load(input, FuzzCa.Value);
        }
        catch (PkiException)
        {
        }
    }

    /// <summary>Telemetry datagrams through the library's public reader (acknowledgements): null or a number.</summary>
    private static void Telemetry(byte[] input) => _ = TelemetryJson.ReadAcknowledgement(input);

    /// <summary>ACME bodies through the client's own source-generated JSON: a JsonException is the client's "not valid JSON" error.</summary>
    private static void Acme(byte[] input)
    {
        foreach (var read in new Func<byte[], object?>[]
        {
            b => JsonSerializer.Deserialize(b, AcmeJson.Default.AcmeDirectory),
            b => JsonSerializer.Deserialize(b, AcmeJson.Default.AcmeOrder),
            b => JsonSerializer.Deserialize(b, AcmeJson.Default.AcmeProblem),
            b => JsonSerializer.Deserialize(b, AcmeJson.Default.RenewalInfo),
        })
        {
            try
            {
                _ = read(input);
            }
            catch (JsonException)
            {
            }
        }
    }

    /// <summary>/proc/net/{tcp,tcp6,udp,udp6} tables: unreadable lines are skipped, never an exception.</summary>
    private static void Proc(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        _ = ProcNetParser.Parse(text, SocketProtocol.Tcp);
        _ = ProcNetParser.Parse(text, SocketProtocol.Udp);
    }
}
