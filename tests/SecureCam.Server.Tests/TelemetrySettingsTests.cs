using Microsoft.Extensions.Configuration;
using SecureCam.Server.Hosting;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>The `Telemetry` section: off unless a collector is named, device identity and CA from the PKI store, one line per bad key.</summary>
public sealed class TelemetrySettingsTests : IDisposable
{
    private readonly TestPki _pki = new();

    [Fact]
    public void Off_unless_a_collector_is_set()
    {
        Assert.False(Read([]).Enabled);
        Assert.False(Read(new() { ["Telemetry:Mode"] = "encrypt-only" }).Enabled);
        Assert.False(Read(new() { ["Telemetry:Collector"] = "127.0.0.1:5684", ["Telemetry:Enabled"] = "false" }).Enabled);
        Assert.True(Read(new() { ["Telemetry:Collector"] = "127.0.0.1:5684" }).Enabled);
    }

    [Fact]
    public void Device_name_and_ca_come_from_the_pki_store()
    {
        using (var ca = _pki.OpenCa())
        {
            ca.IssueDevice("cam-1");
        }

        var options = Read(new() { ["Telemetry:Collector"] = "collector.lan:5684", ["Telemetry:DeviceName"] = "cam-1" });

        Assert.Equal(_pki.Store.ChainPath("cam-1"), options.DeviceCertFile);
        Assert.Equal(_pki.Store.KeyPath("cam-1"), options.DeviceKeyFile);
        Assert.Equal(_pki.CaCertificatePath, options.CaFile);
        Assert.Equal(_pki.Store.CrlPath, options.CrlFile);
    }

    [Fact]
    public void Encrypt_only_needs_no_ca()
    {
        var options = Read(new() { ["Telemetry:Collector"] = "collector.lan:5684", ["Telemetry:Mode"] = "encrypt-only" });
        Assert.Null(options.CaFile);
        Assert.Null(options.CrlFile);
    }

    [Theory]
    [InlineData("Telemetry:Mode", "sometimes", "Telemetry:Mode: 'sometimes' is not encrypt-only or verified")]
    [InlineData("Telemetry:Interval", "soon", "Telemetry:Interval: 'soon' is not a time span (e.g. 00:00:10)")]
    [InlineData("Telemetry:Interval", "-00:00:01", "Telemetry:Interval: must be a positive time span")]
    [InlineData("Telemetry:Collector", "collector.lan", "Telemetry:Collector: 'collector.lan' is not HOST:PORT")]
    [InlineData("Telemetry:DeviceName", "cam-9", "Telemetry:DeviceName: ")]
    [InlineData("Telemetry:DeviceName", "../ca", "Telemetry:DeviceName: '../ca'")]
    [InlineData("Telemetry:CaFile", "/nonexistent/ca.crt", "Telemetry:CaFile: /nonexistent/ca.crt does not exist")]
    [InlineData("Telemetry:CrlFile", "/nonexistent/crl.pem", "Telemetry:CrlFile: /nonexistent/crl.pem does not exist")]
    [InlineData("Telemetry:Colector", "x", "Telemetry:Colector: unknown setting")]
    [InlineData("Telemetry:QueueCapacity", "0", "Telemetry:QueueCapacity: must be at least 1")]
    [InlineData("Telemetry:Enabled", "maybe", "Telemetry:Enabled: 'maybe' is not true or false")]
    public void A_bad_setting_stops_the_start_with_one_line_naming_the_key(string key, string value, string expected)
    {
        var configuration = Configuration(new()
        {
            ["Telemetry:Collector"] = "127.0.0.1:5684",
            [key] = value,
        });

        var error = Assert.Throws<StartupException>(() => SecureCamHost.Build(configuration));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => _pki.Dispose();

    private SecureCam.Telemetry.TelemetryOptions Read(Dictionary<string, string?> values)
    {
        var configuration = Configuration(values);
        return TestSettings.Read<SecureCam.Telemetry.TelemetryOptions>(configuration);
    }

    private IConfiguration Configuration(Dictionary<string, string?> values)
    {
        values["Server:PkiDirectory"] = _pki.Directory;
        values["Server:Listen"] = "https://127.0.0.1:1";
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
