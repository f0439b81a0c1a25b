using System.Net;
using Microsoft.Extensions.Configuration;
using SecureCam.Network.Listening;
using SecureCam.Server.Configuration;
using SecureCam.Server.Hosting;
using SecureCam.Server.Tests.Support;

namespace SecureCam.Server.Tests;

/// <summary>Configuration is read once and a bad value stops the start with one line naming its key.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void Defaults_follow_the_contract()
    {
        var settings = TestSettings.Read<ServerSettings>(Configuration([]));
        var listen = Assert.Single(settings.Listen);
        Assert.Equal(IPAddress.Any, listen.Address);
        Assert.Equal(8443, listen.Port);
        Assert.Equal("server", settings.ServerCertificateName);
        Assert.Null(settings.HttpListen);
        Assert.Equal(3, settings.MaxStreamsPerCertificate);
        Assert.Equal(CipherPreference.Auto, settings.CipherPreference);
    }

    [Theory]
    [InlineData("auto", "Auto")]
    [InlineData("AES", "Aes")]
    [InlineData(" chacha20 ", "ChaCha20")]
    public void The_cipher_preference_is_read_in_any_case(string value, string expected)
    {
        Assert.Equal(expected, TestSettings.Read<ServerSettings>(Configuration(new() { ["Server:CipherPreference"] = value })).CipherPreference.ToString());
    }

    [Fact]
    public void Several_listen_urls_ipv4_ipv6_any_and_localhost()
    {
        var settings = TestSettings.Read<ServerSettings>(Configuration(new()
        {
            ["Server:Listen:0"] = "https://0.0.0.0:8443",
            ["Server:Listen:1"] = "https://[::]:8443",
            ["Server:Listen:2"] = "https://127.0.0.1:9443",
            ["Server:Listen:3"] = "https://localhost:7443",
            ["Server:Listen:4"] = "https://*:6443",
        }));
        Assert.Equal(
            [ListenHostKind.Address, ListenHostKind.Address, ListenHostKind.Address, ListenHostKind.Localhost, ListenHostKind.AnyAddress],
            settings.Listen.Select(l => l.Kind));
        Assert.Equal(IPAddress.IPv6Any, settings.Listen[1].Address);
    }

    [Fact]
    public void A_single_string_of_urls_from_the_command_line_or_environment_replaces_the_array()
    {
        var settings = TestSettings.Read<ServerSettings>(Configuration(new()
        {
            ["Server:Listen:0"] = "https://0.0.0.0:8443",
            ["Server:Listen:1"] = "https://[::]:8443",
            ["Server:Listen"] = "https://127.0.0.1:1;https://[::1]:2",
        }));
        Assert.Equal([1, 2], settings.Listen.Select(l => l.Port));
    }

    [Theory]
    [InlineData("Server:Listen:0", "http://0.0.0.0:8443", "Server:Listen:0: 'http://0.0.0.0:8443' must start with https://")]
    [InlineData("Server:Listen:0", "https://camera.example:8443", "Server:Listen:0: 'https://camera.example:8443': the host must be an IP address")]
    [InlineData("Server:Listen:0", "https://0.0.0.0:8443/x", "Server:Listen:0:")]
    [InlineData("Server:HttpListen", "https://0.0.0.0:80", "Server:HttpListen: 'https://0.0.0.0:80' must start with http://")]
    [InlineData("Server:MaxStreamsPerCertificate", "0", "Server:MaxStreamsPerCertificate: '0' is not a whole number from 1 to 100")]
    [InlineData("Server:MaxConnections", "lots", "Server:MaxConnections:")]
    [InlineData("Server:AdminReserve", "500", "Server:MaxConnections: 512 leaves no room for viewers")]
    [InlineData("Server:MaxConnectionsPerAddress", "0", "Server:MaxConnectionsPerAddress:")]
    [InlineData("Server:MaxConnectionsPerCertificate", "-3", "Server:MaxConnectionsPerCertificate:")]
    [InlineData("Server:HttpMaxConnections", "many", "Server:HttpMaxConnections:")]
    [InlineData("Server:HandshakeTimeoutSeconds", "-1", "Server:HandshakeTimeoutSeconds:")]
    [InlineData("Server:ServerCertificateName", "../ca", "Server:ServerCertificateName:")]
    [InlineData("Server:CipherPreference", "fast", "Server:CipherPreference: 'fast' is not one of auto, aes, chacha20")]
    public void A_bad_setting_names_its_key(string key, string value, string expectedStart)
    {
        var ex = Assert.Throws<SettingException>(() => TestSettings.Read<ServerSettings>(Configuration(new() { [key] = value })));
        Assert.StartsWith(expectedStart, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("Camera:Fps", "0", "Camera:Fps")]
    [InlineData("Camera:Fps", "fast", "Camera")]
    [InlineData("Camera:Source", "webcam", "Camera:Source")]
    public void A_bad_camera_setting_stops_the_build_with_one_line(string key, string value, string expectedKey)
    {
        var ex = Assert.Throws<StartupException>(() => SecureCamHost.Build(Configuration(new() { [key] = value, ["Server:PkiDirectory"] = "/nonexistent" })));
        Assert.Contains(expectedKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_missing_pki_folder_stops_the_build_naming_the_key()
    {
        var ex = Assert.Throws<StartupException>(() => SecureCamHost.Build(Configuration(new() { ["Server:PkiDirectory"] = "/nonexistent/pki" })));
        Assert.StartsWith("Server:PkiDirectory: /nonexistent/pki does not exist", ex.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
