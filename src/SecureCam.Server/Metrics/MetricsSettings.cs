using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Metrics;

/// <summary>
/// The <c>Metrics</c> section, read and validated once at start. /metrics is always served (behind mutual TLS,
/// role monitor or admin); OTLP export is on only when <see cref="OtlpEndpoint"/> is set, and every file it needs
/// is loaded here so a bad one stops the start with one line naming its key.
/// </summary>
internal sealed class MetricsSettings
{
    public const string Section = "Metrics";

    private static readonly string[] KnownKeys =
        ["InstanceName", "OtlpEndpoint", "OtlpIntervalSeconds", "OtlpClientName", "OtlpClientCertificate", "OtlpClientKey", "OtlpCaFile"];

    /// <summary>service.instance.id in OTLP: which camera this is when many export to one collector. Default: the host name.</summary>
    public string InstanceName { get; init; } = Environment.MachineName;

    /// <summary>OTLP/HTTP endpoint (e.g. https://otel.lan:4318); /v1/metrics is added when the URL has no path. Null: no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>How often metrics are pushed: 15 s matches a common Prometheus scrape interval, so both views agree.</summary>
    public TimeSpan OtlpInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Shown to the OTLP endpoint when its TLS handshake asks for a client certificate (never sent otherwise).</summary>
    public X509Certificate2? OtlpClientCertificate { get; init; }

    /// <summary>The endpoint's certificate must chain to these alone; null = the system's trusted roots.</summary>
    public X509Certificate2Collection? OtlpTrust { get; init; }

    public static MetricsSettings Read(IConfiguration configuration, ServerSettings server)
    {
        var section = configuration.GetSection(Section);
        foreach (var child in section.GetChildren())
        {
            if (!KnownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new SettingException(child.Path, $"unknown setting (known: {string.Join(", ", KnownKeys)})");
            }
        }

        var instance = section["InstanceName"];
        var endpointText = section["OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            return new MetricsSettings { InstanceName = string.IsNullOrWhiteSpace(instance) ? Environment.MachineName : instance };
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new SettingException($"{Section}:OtlpEndpoint", $"'{endpointText}' is not an http:// or https:// URL (OTLP/HTTP, e.g. https://otel.lan:4318)");
        }

        endpoint = OtlpHttpExport.MetricsUrl(endpoint);

        var interval = section["OtlpIntervalSeconds"];
        var seconds = (int)new MetricsSettings().OtlpInterval.TotalSeconds;
        if (!string.IsNullOrWhiteSpace(interval)
            && (!int.TryParse(interval, NumberStyles.Integer, CultureInfo.InvariantCulture, out seconds) || seconds < 1 || seconds > 3600))
        {
            throw new SettingException($"{Section}:OtlpIntervalSeconds", $"'{interval}' is not a whole number from 1 to 3600");
        }

        var certificate = ReadClientCertificate(section, server);
        if (certificate is not null && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new SettingException($"{Section}:OtlpEndpoint", "a client certificate needs an https:// endpoint");
        }

        return new MetricsSettings
        {
            InstanceName = string.IsNullOrWhiteSpace(instance) ? Environment.MachineName : instance,
            OtlpEndpoint = endpoint,
            OtlpInterval = TimeSpan.FromSeconds(seconds),
            OtlpClientCertificate = certificate,
            OtlpTrust = section["OtlpCaFile"] is { Length: > 0 } caFile ? LoadTrust($"{Section}:OtlpCaFile", Path.GetFullPath(caFile)) : null,
        };
    }

    /// <summary><c>OtlpClientName</c> NAME means pki/issued/NAME/cert.pem and key.pem; or give both files.</summary>
    private static X509Certificate2? ReadClientCertificate(IConfigurationSection section, ServerSettings server)
    {
        var name = section["OtlpClientName"];
        var certificatePath = section["OtlpClientCertificate"];
        var keyPath = section["OtlpClientKey"];
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
