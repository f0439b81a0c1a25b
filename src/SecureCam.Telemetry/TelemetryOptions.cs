namespace SecureCam.Telemetry;

/// <summary>
/// The `Telemetry` configuration section of `securecam` (appsettings.json, SECURECAM__TELEMETRY__KEY, command line).
/// Validated at start: a bad setting stops the program with one line naming the key.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Off by default: telemetry goes nowhere until a collector is named.</summary>
    public bool Enabled { get; set; }

    /// <summary>The collector, HOST:PORT (UDP).</summary>
    public string? Collector { get; set; }

    /// <summary>"verified" (default) or "encrypt-only".</summary>
    public string Mode { get; set; } = TelemetryModeNames.Verified;

    /// <summary>The DNS name or IP the collector's certificate must carry (verified). Default: the host of <see cref="Collector"/>.</summary>
    public string? ExpectedName { get; set; }

    /// <summary>One record per interval. 10 s: fine enough to see a stall, cheap on a Pi and a phone tether.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The local CA certificate (PEM) the collector must chain to (verified), e.g. pki/ca.crt.</summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// The CA's live CRL (PEM, e.g. pki/crl.pem), verified mode: a revoked collector certificate is refused, and an
    /// open connection to it ends within seconds of the CRL being rewritten.
    /// </summary>
    public string? CrlFile { get; set; }

    /// <summary>The camera's device certificate (PEM, e.g. pki/issued/NAME/chain.pem), shown for mutual DTLS.</summary>
    public string? DeviceCertFile { get; set; }

    /// <summary>Its private key (PEM, e.g. pki/issued/NAME/key.pem).</summary>
    public string? DeviceKeyFile { get; set; }

    /// <summary>The camera's name in records. Default: the device certificate's CN, else the host name.</summary>
    public string? CameraId { get; set; }

    /// <summary>Records kept while the collector is unreachable; 360 = one hour at the default interval.</summary>
    public int QueueCapacity { get; set; } = 360;

    /// <summary>Bound on one DTLS handshake: <see cref="DtlsPolicy.DefaultHandshakeTimeout"/>, room for three retransmissions on a lossy path.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = DtlsPolicy.DefaultHandshakeTimeout;

    /// <summary>A record not acknowledged within this time means the collector is gone: reconnect.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The cap of the reconnect backoff (1 s, 2 s, 4 s, … up to this).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    public TelemetryMode ParsedMode => TelemetryModeNames.TryParse(Mode) ?? throw new TelemetryConfigurationException(
        $"{SectionName}:Mode: '{Mode}' is not encrypt-only or verified");

    /// <summary>Throws a <see cref="TelemetryConfigurationException"/> naming the first bad key.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(Collector))
        {
            throw new TelemetryConfigurationException($"{SectionName}:Collector: required when telemetry is enabled (HOST:PORT)");
        }

        TelemetryEndpoint.Parse(Collector, $"{SectionName}:Collector");
        var mode = ParsedMode;
        if (mode == TelemetryMode.Verified && string.IsNullOrWhiteSpace(CaFile))
        {
            throw new TelemetryConfigurationException($"{SectionName}:CaFile: verified mode needs the CA certificate the collector must chain to");
        }

        if (mode != TelemetryMode.Verified && !string.IsNullOrWhiteSpace(CrlFile))
        {
            throw new TelemetryConfigurationException($"{SectionName}:CrlFile: only verified mode checks the collector's certificate, so a CRL means nothing in {Mode}");
        }

        if (string.IsNullOrEmpty(DeviceCertFile) != string.IsNullOrEmpty(DeviceKeyFile))
        {
            throw new TelemetryConfigurationException($"{SectionName}:DeviceCertFile and {SectionName}:DeviceKeyFile go together");
        }

        RequirePositive(Interval, nameof(Interval));
        RequirePositive(HandshakeTimeout, nameof(HandshakeTimeout));
        RequirePositive(AckTimeout, nameof(AckTimeout));
        RequirePositive(MaxBackoff, nameof(MaxBackoff));
        if (QueueCapacity < 1)
        {
            throw new TelemetryConfigurationException($"{SectionName}:QueueCapacity: must be at least 1");
        }
    }

    /// <summary>Loads the files named here into client settings (validating first); <paramref name="log"/> hears of CRL changes, <paramref name="time"/> paces the CRL re-checks.</summary>
    public ClientSettings ToClientSettings(Action<string>? log = null, TimeProvider? time = null)
    {
        Validate();
        var (host, _) = TelemetryEndpoint.Parse(Collector!, $"{SectionName}:Collector");
        var mode = ParsedMode;
        var trustAnchor = string.IsNullOrEmpty(CaFile) ? null : CertificateFiles.LoadCertificates(CaFile);
        var settings = new ClientSettings
        {
            Mode = mode,
            TrustAnchor = trustAnchor,
            Revocation = string.IsNullOrWhiteSpace(CrlFile) || trustAnchor is null ? null : RevocationFile.Open(CrlFile, trustAnchor, log, time: time),
            ExpectedName = string.IsNullOrWhiteSpace(ExpectedName) ? host : ExpectedName,
            DeviceIdentity = string.IsNullOrEmpty(DeviceCertFile) ? null : DtlsIdentity.Load(DeviceCertFile, DeviceKeyFile!),
            HandshakeTimeout = HandshakeTimeout,
        };
        settings.Validate();
        return settings;
    }

    private static void RequirePositive(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new TelemetryConfigurationException($"{SectionName}:{key}: must be a positive time span (e.g. 00:00:10)");
        }
    }
}
