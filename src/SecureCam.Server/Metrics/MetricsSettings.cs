using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using SecureCam.Pki;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Metrics;

/// <summary>
/// The <c>Metrics</c> section, registered by <see cref="SecureCamSettingsServices.AddSecureCamSettings"/>. /metrics is
/// always served (behind mutual TLS, role monitor or admin); OTLP export is on only when <see cref="OtlpEndpoint"/> is
/// set, and every file it needs is loaded at start so a bad one stops the start with one line naming its key.
/// </summary>
internal sealed class MetricsSettings
{
    public const string Section = "Metrics";

    private static readonly string[] KnownKeys =
        ["InstanceName", "OtlpEndpoint", "OtlpIntervalSeconds", "OtlpClientName", "OtlpClientCertificate", "OtlpClientKey", "OtlpCaFile"];

    /// <summary>service.instance.id in OTLP: which camera this is when many export to one collector. Default: the host name.</summary>
    public string InstanceName { get; set; } = Environment.MachineName;

    /// <summary>OTLP/HTTP endpoint (e.g. https://otel.lan:4318); /v1/metrics is added when the URL has no path. Unset: no OTLP export.</summary>
    [ConfigurationKeyName("OtlpEndpoint")]
    public string? OtlpEndpointText { get; set; }

    /// <summary>How often metrics are pushed, in seconds: 15 matches a common Prometheus scrape interval, so both views agree.</summary>
    public int OtlpIntervalSeconds { get; set; } = 15;

    /// <summary>NAME means pki/issued/NAME/cert.pem and key.pem; or give <see cref="OtlpClientCertificateFile"/> and <see cref="OtlpClientKey"/>.</summary>
    public string? OtlpClientName { get; set; }

    /// <summary>PEM certificate shown to the endpoint when its TLS handshake asks for one; with <see cref="OtlpClientKey"/>.</summary>
    [ConfigurationKeyName("OtlpClientCertificate")]
    public string? OtlpClientCertificateFile { get; set; }

    /// <summary>Its PEM private key.</summary>
    public string? OtlpClientKey { get; set; }

    /// <summary>PEM roots the endpoint's certificate must chain to alone; unset: the system's trusted roots.</summary>
    public string? OtlpCaFile { get; set; }

    // Derived at start by Resolve. Fields, not properties: the binder binds only properties.

    /// <summary><see cref="OtlpEndpointText"/> with the metrics path; null: no OTLP export.</summary>
    public Uri? OtlpEndpoint;

    /// <summary>Shown to the OTLP endpoint when its TLS handshake asks for a client certificate (never sent otherwise).</summary>
    public X509Certificate2? OtlpClientCertificate;

    /// <summary>The endpoint's certificate must chain to these alone; null = the system's trusted roots.</summary>
    public X509Certificate2Collection? OtlpTrust;

    public TimeSpan OtlpInterval => TimeSpan.FromSeconds(OtlpIntervalSeconds);

    /// <summary>After binding: the endpoint parsed, and when it is set the client certificate and trusted roots loaded.</summary>
    public void Resolve(IConfigurationSection section, ServerSettings server)
    {
        ArgumentNullException.ThrowIfNull(server);
        SettingRules.RejectUnknownKeys(section, KnownKeys);
        if (string.IsNullOrWhiteSpace(InstanceName))
        {
            InstanceName = Environment.MachineName;
        }

        var endpointText = OtlpEndpointText;
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            return;
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new SettingException($"{Section}:OtlpEndpoint", $"'{endpointText}' is not an http:// or https:// URL (OTLP/HTTP, e.g. https://otel.lan:4318)");
        }

        OtlpEndpoint = OtlpHttpExport.MetricsUrl(endpoint);
        OtlpClientCertificate = ReadClientCertificate(server);
        if (OtlpClientCertificate is not null && OtlpEndpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new SettingException($"{Section}:OtlpEndpoint", "a client certificate needs an https:// endpoint");
        }

        OtlpTrust = OtlpCaFile is { Length: > 0 } caFile ? LoadTrust($"{Section}:OtlpCaFile", Path.GetFullPath(caFile)) : null;
    }

    /// <summary><c>OtlpClientName</c> NAME means pki/issued/NAME/cert.pem and key.pem; or give both files.</summary>
    private X509Certificate2? ReadClientCertificate(ServerSettings server)
    {
        var name = OtlpClientName;
        var certificatePath = OtlpClientCertificateFile;
        var keyPath = OtlpClientKey;
        string key;
        if (!string.IsNullOrWhiteSpace(name))
        {
            if (!string.IsNullOrWhiteSpace(certificatePath) || !string.IsNullOrWhiteSpace(keyPath))
            {
                throw new SettingException($"{Section}:OtlpClientName", "give either OtlpClientName or OtlpClientCertificate and OtlpClientKey, not both");
            }

            var store = PkiStore.Open(server.PkiDirectory);
            key = $"{Section}:OtlpClientName";
            try
            {
                certificatePath = store.CertificatePath(name);
                keyPath = store.KeyPath(name);
            }
            catch (PkiException ex)
            {
                throw new SettingException(key, ex.Message);
            }
        }
        else if (string.IsNullOrWhiteSpace(certificatePath) != string.IsNullOrWhiteSpace(keyPath))
        {
            throw new SettingException($"{Section}:OtlpClientCertificate", "OtlpClientCertificate and OtlpClientKey go together");
        }
        else if (string.IsNullOrWhiteSpace(certificatePath))
        {
            return null;
        }
        else
        {
            key = $"{Section}:OtlpClientCertificate";
        }

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(Path.GetFullPath(certificatePath!), Path.GetFullPath(keyPath!));

            // An ephemeral key cannot be presented in a TLS handshake on every platform; PKCS#12 in memory can.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException or ArgumentException)
        {
            throw new SettingException(key, $"cannot load {certificatePath} with {keyPath}: {ex.Message}");
        }
    }

    private static X509Certificate2Collection LoadTrust(string key, string path)
    {
        var trust = new X509Certificate2Collection();
        try
        {
            trust.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new SettingException(key, $"cannot read {path}: {ex.Message}");
        }

        return trust.Count > 0 ? trust : throw new SettingException(key, $"{path} holds no PEM certificate");
    }
}

/// <summary>The push interval, checked only when OTLP export is on (nothing else in the section is used otherwise).</summary>
internal sealed class MetricsSettingsValidator : IValidateOptions<MetricsSettings>
{
    public ValidateOptionsResult Validate(string? name, MetricsSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.OtlpEndpoint is null
            ? ValidateOptionsResult.Success
            : SettingRules.First(SettingRules.Range($"{MetricsSettings.Section}:OtlpIntervalSeconds", options.OtlpIntervalSeconds, 1, 3600));
    }
}
