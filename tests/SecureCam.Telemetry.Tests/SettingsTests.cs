namespace SecureCam.Telemetry.Tests;

/// <summary>The small pure pieces: endpoints, modes, key checks, thermal zones.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly TelemetryCertificates _pki = new();

    [Theory]
    [InlineData("collector.lan:5684", "collector.lan", 5684)]
    [InlineData("10.0.0.2:1", "10.0.0.2", 1)]
    [InlineData("[::1]:5684", "::1", 5684)]
    public void Endpoints_parse(string text, string host, int port) =>
        Assert.Equal((host, port), TelemetryEndpoint.Parse(text, "--to"));

    [Theory]
    [InlineData("collector.lan")]
    [InlineData(":5684")]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    public void Bad_endpoints_name_the_setting(string text) =>
        Assert.StartsWith("--to:", Assert.Throws<TelemetryConfigurationException>(() => TelemetryEndpoint.Parse(text, "--to")).Message, StringComparison.Ordinal);

    [Fact]
    public void Modes_parse_both_spellings_only()
    {
        Assert.Equal(TelemetryMode.EncryptOnly, TelemetryModeNames.TryParse("encrypt-only"));
        Assert.Equal(TelemetryMode.Verified, TelemetryModeNames.TryParse("Verified"));
        Assert.Null(TelemetryModeNames.TryParse("none"));
    }

    [Fact]
    public void A_key_that_is_not_the_certificates_is_refused()
    {
        var refused = Assert.Throws<TelemetryConfigurationException>(() => DtlsIdentity.Load(_pki.CollectorFiles.Cert, _pki.CameraFiles.Key));
        Assert.Contains("does not belong", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprints_match_openssl_form() =>
        Assert.Equal(_pki.Collector.Fingerprint, PeerCertificateCheck.Fingerprint(_pki.Collector.Certificate));

    [Fact]
    public void Cpu_temperature_prefers_the_cpu_zone_and_is_null_without_zones()
    {
        var root = _pki.Directory.Combine("thermal");
        Assert.Null(CpuTemperature.Read(root));
        WriteZone(root, 0, "acpitz", "27800");
        WriteZone(root, 1, "x86_pkg_temp", "51300");
        Assert.Equal(51.3, CpuTemperature.Read(root));
    }

    public void Dispose() => _pki.Dispose();

    private static void WriteZone(string root, int index, string type, string milliCelsius)
    {
        var zone = Path.Combine(root, $"thermal_zone{index}");
        Directory.CreateDirectory(zone);
        File.WriteAllText(Path.Combine(zone, "type"), type + "\n");
        File.WriteAllText(Path.Combine(zone, "temp"), milliCelsius + "\n");
    }
}
