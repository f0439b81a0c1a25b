using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace SecureCam.Acme.Tests.Support;

/// <summary>
/// The script of a CA that issues at once, for <see cref="ScriptedAcmeServer"/>: accounts always exist,
/// orders are ready (authorizations already valid), finalize signs the CSR with a test CA key for
/// <see cref="Lifetime"/> from the time of <see cref="Clock"/> (a fake clock in the tests), and
/// renewalInfo answers <see cref="RenewalWindow"/> when set. Every newOrder payload is kept.
/// </summary>
internal sealed class ScriptedCa : IDisposable
{
    private static readonly byte[] AuthorityKeyId = SHA1.HashData("scripted test CA"u8);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, string> _chains = [];
    private readonly Dictionary<string, X509Certificate2> _byAriId = [];
    private readonly List<JsonElement> _orders = [];
    private int _serial;

    public ScriptedCa(TimeProvider clock, TimeSpan lifetime)
    {
        Clock = clock;
        Lifetime = lifetime;
    }

    public TimeProvider Clock { get; }

    public TimeSpan Lifetime { get; }

    /// <summary>The server's own base URL, for the absolute URLs in order bodies; set once the server is up.</summary>
    public Uri BaseUri { get; set; } = new("http://127.0.0.1/");

    /// <summary>The suggested window for a certificate, when the directory offers renewalInfo.</summary>
    public Func<X509Certificate2, (DateTimeOffset Start, DateTimeOffset End)>? RenewalWindow { get; init; }

    /// <summary>The payloads of every newOrder received.</summary>
    public IReadOnlyList<JsonElement> Orders
    {
        get
        {
            lock (_gate)
            {
                return [.. _orders];
            }
        }
    }

    public ScriptedResponse Answer(ScriptedRequest request)
    {
        var nonce = new Dictionary<string, string> { ["Replay-Nonce"] = Guid.NewGuid().ToString("N") };
        switch (request.Method, request.Path)
        {
            case ("HEAD", "/nonce"):
                return new ScriptedResponse(200, "", nonce);
            case ("POST", "/account"):
                return new ScriptedResponse(200, """{"status":"valid"}""", new Dictionary<string, string>(nonce) { ["Location"] = "/account/1" });
            case ("POST", "/order"):
            {
                var payload = Payload(request);
                int id;
                lock (_gate)
                {
                    _orders.Add(payload);
                    id = _orders.Count;
                }

                return new ScriptedResponse(201, OrderJson(id, payload, "ready", certificate: false), new Dictionary<string, string>(nonce) { ["Location"] = $"/order/{id}" });
            }

            case ("POST", _) when request.Path.StartsWith("/order/", StringComparison.Ordinal) && request.Path.EndsWith("/finalize", StringComparison.Ordinal):
            {
                var id = int.Parse(request.Path.Split('/')[2], CultureInfo.InvariantCulture);
                var csr = Base64Url.DecodeFromChars(Payload(request).GetProperty("csr").GetString()!);
                Issue(id, csr);
                JsonElement order;
                lock (_gate)
                {
                    order = _orders[id - 1];
                }

                return new ScriptedResponse(200, OrderJson(id, order, "valid", certificate: true), nonce);
            }

            case ("POST", _) when request.Path.StartsWith("/cert/", StringComparison.Ordinal):
                lock (_gate)
                {
                    return new ScriptedResponse(200, _chains[int.Parse(request.Path["/cert/".Length..], CultureInfo.InvariantCulture)], nonce)
                    {
                        ContentType = "application/pem-certificate-chain",
                    };
                }

            case ("GET", _) when request.Path.StartsWith("/renewalInfo/", StringComparison.Ordinal) && RenewalWindow is not null:
            {
                X509Certificate2? certificate;
                lock (_gate)
                {
                    _byAriId.TryGetValue(request.Path["/renewalInfo/".Length..], out certificate);
                }

                if (certificate is null)
                {
                    return new ScriptedResponse(404, """{"type":"urn:ietf:params:acme:error:malformed","detail":"unknown certificate"}""") { ContentType = "application/problem+json" };
                }

                var (start, end) = RenewalWindow(certificate);
                return new ScriptedResponse(200, $$$"""{"suggestedWindow":{"start":"{{{start:O}}}","end":"{{{end:O}}}"}}""", new Dictionary<string, string> { ["Retry-After"] = "21600" });
            }

            default:
                return new ScriptedResponse(404, """{"type":"urn:ietf:params:acme:error:malformed","detail":"not scripted"}""") { ContentType = "application/problem+json" };
        }
    }

    public void Dispose() => _key.Dispose();

    private void Issue(int id, byte[] csr)
    {
        var request = CertificateRequest.LoadSigningRequest(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(AuthorityKeyId));
        var now = Clock.GetUtcNow();
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + 0x1000);
        Array.Reverse(serial);
        var certificate = request.Create(new X500DistinguishedName("CN=Scripted Short-Lived CA"), X509SignatureGenerator.CreateForECDsa(_key), now, now + Lifetime, serial);
        lock (_gate)
        {
            _chains[id] = certificate.ExportCertificatePem();
            _byAriId[AriCertificateId.For(certificate)] = certificate;
        }
    }

    private string OrderJson(int id, JsonElement order, string status, bool certificate)
    {
        var identifiers = order.GetProperty("identifiers").GetRawText();
        var profile = order.TryGetProperty("profile", out var p) ? $",\"profile\":\"{p.GetString()}\"" : "";
        var url = certificate ? $",\"certificate\":\"{BaseUri}cert/{id}\"" : "";
        return $$"""{"status":"{{status}}","identifiers":{{identifiers}},"authorizations":[],"finalize":"{{BaseUri}}order/{{id}}/finalize"{{profile}}{{url}}}""";
    }

    private static JsonElement Payload(ScriptedRequest request)
    {
        var payload = JsonDocument.Parse(request.Body).RootElement.GetProperty("payload").GetString()!;
        return payload.Length == 0 ? default : JsonDocument.Parse(Base64Url.DecodeFromChars(payload)).RootElement.Clone();
    }
}
