using Microsoft.Extensions.Configuration;
using SecureCam.Server.Hosting;
using SecureCam.Server.Metrics;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>The `Metrics` section: OTLP off unless an endpoint is set, the client certificate from the PKI store, one line per bad key; refusal reasons as a fixed set of labels.</summary>
public sealed class MetricsSettingsTests : IDisposable
{
    private readonly TestPki _pki = new();

    [Fact]
    public void Otlp_is_off_unless_an_endpoint_is_set()
    {
        var settings = Read([]);
        Assert.Null(settings.OtlpEndpoint);
        Assert.Null(settings.OtlpClientCertificate);
        Assert.Equal(Environment.MachineName, settings.InstanceName);
    }

    [Fact]
    public void An_endpoint_without_a_path_gets_the_metrics_path_and_the_client_comes_from_the_pki_store()
    {
        using (var ca = _pki.OpenCa())
        {
            ca.IssueDevice("cam-1");
        }

        var settings = Read(new()
        {
            ["Metrics:OtlpEndpoint"] = "https://otel.lan:4318",
            ["Metrics:OtlpClientName"] = "cam-1",
            ["Metrics:OtlpCaFile"] = _pki.CaCertificatePath,
            ["Metrics:OtlpIntervalSeconds"] = "5",
        });

        Assert.Equal(new Uri("https://otel.lan:4318/v1/metrics"), settings.OtlpEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.OtlpInterval);
        Assert.True(settings.OtlpClientCertificate!.HasPrivateKey);
        Assert.Contains("CN=cam-1", settings.OtlpClientCertificate.Subject, StringComparison.Ordinal);
        Assert.Single(settings.OtlpTrust!);
        Assert.Equal(new Uri("https://otel.lan:4318/custom/path"), Read(new() { ["Metrics:OtlpEndpoint"] = "https://otel.lan:4318/custom/path" }).OtlpEndpoint);
    }

    [Theory]
    [InlineData("Metrics:OtlpEndpoint", "otel.lan:4318", "Metrics:OtlpEndpoint: 'otel.lan:4318' is not an http:// or https:// URL")]
    [InlineData("Metrics:OtlpIntervalSeconds", "0", "Metrics:OtlpIntervalSeconds: '0' is not a whole number from 1 to 3600")]
    [InlineData("Metrics:OtlpClientName", "nobody", "Metrics:OtlpClientName: cannot load")]
    [InlineData("Metrics:OtlpClientCertificate", "/nonexistent/cert.pem", "Metrics:OtlpClientCertificate: OtlpClientCertificate and OtlpClientKey go together")]
    [InlineData("Metrics:OtlpCaFile", "/nonexistent/ca.crt", "Metrics:OtlpCaFile: cannot read /nonexistent/ca.crt")]
    [InlineData("Metrics:OtlpEndpont", "https://otel.lan", "Metrics:OtlpEndpont: unknown setting")]
    public void A_bad_setting_stops_the_start_with_one_line_naming_the_key(string key, string value, string expected)
    {
        var configuration = Configuration(new()
        {
            ["Metrics:OtlpEndpoint"] = "https://otel.lan:4318",
            [key] = value,
        });

        var error = Assert.Throws<StartupException>(() => SecureCamHost.Build(configuration));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("no client certificate", "no_certificate")]
    [InlineData("expired (2026-01-01 00:00:00Z)", "expired")]
    [InlineData("not yet valid (from 2027-01-01 00:00:00Z)", "not_yet_valid")]
    [InlineData("revoked", "revoked")]
    [InlineData("self-signed", "self_signed")]
    [InlineData("not issued by the local CA", "not_local_ca")]
    [InlineData("signature does not verify with the local CA's key (forged or copied names)", "bad_signature")]
    [InlineData("a CA certificate, not a client certificate", "ca_certificate")]
    [InlineData("serverAuth-only EKU (a server certificate, not a client one)", "wrong_usage")]
    [InlineData("no role (subject OU=viewer, OU=admin or OU=monitor required)", "no_role")]
    [InlineData("TLS handshake failed before certificate validation: asn1 encoding routines::EVP lib", "tls_error")]
    [InlineData("something new", "other")]
    public void Refusal_reasons_become_a_fixed_set_of_labels(string reason, string label) =>
        Assert.Equal(label, ServerMetrics.RefusalReason(reason));

    public void Dispose() => _pki.Dispose();

    private MetricsSettings Read(Dictionary<string, string?> values)
    {
        var configuration = Configuration(values);
        return TestSettings.Read<MetricsSettings>(configuration);
    }

    private IConfiguration Configuration(Dictionary<string, string?> values)
    {
        values["Server:PkiDirectory"] = _pki.Directory;
        values["Server:Listen"] = "https://127.0.0.1:1";
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
