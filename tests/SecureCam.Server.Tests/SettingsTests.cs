using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SecureCam.Acme;
using SecureCam.Network.Listening;
using SecureCam.Server.Configuration;
using SecureCam.Server.Hosting;
using SecureCam.Server.Tests.Support;
using SecureCam.Telemetry;
using SecureCam.TestSupport;

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

    [Fact]
    public void Every_section_defaults_to_the_documented_values()
    {
        using var settings = SecureCamSettings.Open(Configuration([]));

        var server = settings.Server;
        Assert.Equal(["https://0.0.0.0:8443"], server.Listen.Select(l => l.Url));
        Assert.Empty(server.PublicListen);
        Assert.Equal(
            (512, 16, 32, 128, 16, 32, 3),
            (server.MaxConnections, server.MaxConnectionsPerCertificate, server.MaxConnectionsPerAddress, server.MaxPendingHandshakes, server.AdminReserve, server.HttpMaxConnections, server.MaxStreamsPerCertificate));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), (server.HandshakeTimeout, server.RequestHeadersTimeout, server.SnapshotTimeout));
        Assert.Equal((CipherPreference.Auto, TlsOutputMode.Direct), (server.CipherPreference, server.TlsOutput));
        Assert.Equal(Path.GetFullPath(Environment.GetEnvironmentVariable("SECURECAM_PKI") is { Length: > 0 } pki ? pki : "pki"), server.PkiDirectory);

        var camera = settings.Camera;
        Assert.Equal(("synthetic", 1280, 720, 30, 75), (camera.Source, camera.Width, camera.Height, camera.Fps, camera.Quality));

        var acme = settings.Acme;
        Assert.False(acme.Enabled);
        Assert.Equal((ChallengeTypes.TlsAlpn01, 80), (acme.Challenge, acme.HttpPort));
        Assert.Equal((TimeSpan.FromHours(12), TimeSpan.FromMinutes(5), TimeSpan.FromHours(6)), (acme.CheckInterval, acme.RetryFirstDelay, acme.RetryMaxDelay));

        var telemetry = settings.Telemetry;
        Assert.False(telemetry.Enabled);
        Assert.Equal((TelemetryModeNames.Verified, TimeSpan.FromSeconds(10), 360), (telemetry.Mode, telemetry.Interval, telemetry.QueueCapacity));

        Assert.False(settings.Indicator.Enabled);
        Assert.Null(settings.Metrics.OtlpEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.Metrics.OtlpInterval);

        var enrollment = settings.Enrollment;
        Assert.True(enrollment.Enabled);
        Assert.Equal(("https://0.0.0.0:8444", 10), (enrollment.Listen.Url, enrollment.MaxFailuresPerMinute));
        Assert.Null(enrollment.AllowedSources);
    }

    [Theory]
    [InlineData("100", null, null, 25, 12)]
    [InlineData("100", "40", null, 40, 12)]
    [InlineData("4000", null, null, 128, 16)]
    public void The_handshake_and_admin_budgets_default_to_a_share_of_a_small_connection_cap(string max, string? pending, string? reserve, int expectedPending, int expectedReserve)
    {
        var settings = TestSettings.Read<ServerSettings>(Configuration(new()
        {
            ["Server:MaxConnections"] = max,
            ["Server:MaxPendingHandshakes"] = pending,
            ["Server:AdminReserve"] = reserve,
        }));

        Assert.Equal((expectedPending, expectedReserve), (settings.MaxPendingHandshakes, settings.AdminReserve));
    }

    [Fact]
    public void A_listen_string_from_a_real_environment_variable_is_split_into_its_urls()
    {
        // A prefix of this test's own: the process's environment is shared with every test running beside it.
        var prefix = $"SECURECAM_TEST_{Guid.NewGuid():N}__";
        Environment.SetEnvironmentVariable(prefix + "SERVER__LISTEN", "https://127.0.0.1:18443; https://[::1]:18444");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Server:Listen:0"] = "https://0.0.0.0:8443" })
                .AddEnvironmentVariables(prefix)
                .Build();

            var settings = TestSettings.Read<ServerSettings>(configuration);

            Assert.Equal(["https://127.0.0.1:18443", "https://[::1]:18444"], settings.Listen.Select(l => l.Url));
            Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], settings.Listen.Select(l => l.Address));
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "SERVER__LISTEN", null);
        }
    }

    [Fact]
    public void A_bad_value_stops_the_server_build_with_the_one_line_naming_the_key()
    {
        var ex = Assert.Throws<StartupException>(() => SecureCamHost.Build(Configuration(new() { ["Server:MaxConnections"] = "2", ["Server:PkiDirectory"] = "/nonexistent" })));

        Assert.Equal("Server:MaxConnections: '2' is not a whole number from 3 to 100000", ex.Message);
        Assert.IsType<SettingException>(ex.InnerException);
    }

    [Theory]
    [InlineData("Server:MaxConnections", "2", "Server:MaxConnections: '2' is not a whole number from 3 to 100000")]
    [InlineData("Server:MaxConnections", "lots", "Server:MaxConnections: 'lots' is not a whole number")]
    [InlineData("Camera:Fps", "0", "Camera:Fps = 0 is out of range (allowed 1..240).")]
    [InlineData("Indicator:BoardLed", "../x", "Indicator:BoardLed: '../x' is not an LED name under /sys/class/leds (e.g. ACT or led0)")]
    public async Task Validate_on_start_stops_a_host_before_it_listens_with_the_one_line(string key, string value, string expected)
    {
        var port = FreePort.Tcp(IPAddress.Loopback);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddSecureCamSettings(Configuration(new() { [key] = value }));
        var started = new StartRecorder();
        builder.Services.AddSingleton<IHostedService>(started);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Equal(expected, SettingRules.Translate(error)?.Message);
        Assert.False(started.Started);
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public void The_host_and_the_doctor_take_the_same_values_from_one_registration()
    {
        var configuration = Configuration(new()
        {
            ["Server:Listen"] = "https://127.0.0.1:18443;https://[::1]:18444",
            ["Server:MaxConnections"] = "100",
        });
        var services = new ServiceCollection().AddSecureCamSettings(configuration);
        using var provider = services.BuildServiceProvider();
        var hosted = provider.GetRequiredService<ServerSettings>();
        using var settings = SecureCamSettings.Open(configuration);
        var doctor = settings.Server;

        Assert.Same(provider.GetRequiredService<IOptions<ServerSettings>>().Value, hosted);
        Assert.Equal(hosted.Listen, doctor.Listen);
        Assert.Equal((hosted.PkiDirectory, hosted.MaxPendingHandshakes, hosted.AdminReserve), (doctor.PkiDirectory, doctor.MaxPendingHandshakes, doctor.AdminReserve));
    }

    /// <summary>A hosted service that only notes that the host got as far as starting it.</summary>
    private sealed class StartRecorder : IHostedService
    {
        public bool Started { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
