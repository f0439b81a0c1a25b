using Microsoft.Extensions.Configuration;
using SecureCam.Acme;
using SecureCam.Network.Listening;
using SecureCam.Server.Acme;
using SecureCam.Server.Configuration;
using SecureCam.Server.Hosting;
using SecureCam.Server.Tests.Support;

namespace SecureCam.Server.Tests;

/// <summary>The Acme section: off by default, and a bad value stops the start with one line naming its key.</summary>
public sealed class AcmeSettingsTests
{
    private static readonly Dictionary<string, string?> Good = new()
    {
        ["Server:PkiDirectory"] = "/srv/securecam/pki",
        ["Acme:Enabled"] = "true",
        ["Acme:DirectoryUrl"] = "https://acme.example/dir",
        ["Acme:TermsAccepted"] = "true",
        ["Acme:Domains:0"] = "Cam.Example.org.",
    };

    [Fact]
    public void Off_unless_enabled_and_nothing_else_is_read()
    {
        var settings = Read(new() { ["Acme:Challenge"] = "dns-01" });
        Assert.False(settings.Enabled);
    }

    [Fact]
    public void Defaults_tls_alpn01_storage_under_the_pki_and_a_twelve_hour_look()
    {
        var settings = Read(Good);
        Assert.True(settings.Enabled);
        Assert.Equal(["cam.example.org"], settings.Domains);
        Assert.Equal(ChallengeTypes.TlsAlpn01, settings.Challenge);
        Assert.Equal("/srv/securecam/pki/acme", settings.StorageDirectory);
        Assert.Equal(TimeSpan.FromHours(12), settings.CheckInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.RetryFirstDelay);
        Assert.Equal(TimeSpan.FromHours(6), settings.RetryMaxDelay);
        Assert.Null(settings.ExtraHttpListen);
        Assert.Equal(443, settings.CaPort);
    }

    [Fact]
    public void Http01_opens_a_plain_listener_on_every_address_unless_the_server_has_one()
    {
        var own = Read(new(Good) { ["Acme:Challenge"] = "http-01" });
        Assert.Equal(ListenHostKind.AnyAddress, own.ExtraHttpListen?.Kind);
        Assert.Equal(80, own.ExtraHttpListen?.Port);

        var shared = Read(new(Good) { ["Acme:Challenge"] = "http-01", ["Server:HttpListen"] = "http://0.0.0.0:8080" });
        Assert.Null(shared.ExtraHttpListen);
    }

    [Theory]
    [InlineData("Acme:Enabled", "yes", "Acme:Enabled: 'yes' is not true or false")]
    [InlineData("Acme:DirectoryUrl", "", "Acme:DirectoryUrl: missing")]
    [InlineData("Acme:DirectoryUrl", "http://acme.example/dir", "Acme:DirectoryUrl: 'http://acme.example/dir' is not an https:// URL")]
    [InlineData("Acme:TermsAccepted", "false", "Acme:TermsAccepted: must be true")]
    [InlineData("Acme:Domains:0", "fe80::1%2", "Acme:Domains: 'fe80::1%2' is a scoped or IPv4-mapped address")]
    [InlineData("Acme:Profile", "short lived", "Acme:Profile: 'short lived' is not a profile name")]
    [InlineData("Acme:Domains:0", "*.example.org", "Acme:Domains: '*.example.org' is a wildcard")]
    [InlineData("Acme:Domains:0", "cam_1.example.org", "Acme:Domains: 'cam_1.example.org' is neither a DNS name nor an IP address")]
    [InlineData("Acme:Challenge", "dns-01", "Acme:Challenge: 'dns-01' is not a challenge type")]
    [InlineData("Acme:Email", "owner", "Acme:Email: 'owner' is not an e-mail address")]
    [InlineData("Acme:TrustedRootFile", "/nonexistent/root.pem", "Acme:TrustedRootFile: /nonexistent/root.pem does not exist")]
    [InlineData("Acme:CheckIntervalMinutes", "1440", "Acme:CheckIntervalMinutes: '1440' is not a whole number from 1 to 720")]
    [InlineData("Acme:RetryMaxDelaySeconds", "10", "Acme:RetryMaxDelaySeconds: 10 is below Acme:RetryFirstDelaySeconds (300)")]
    [InlineData("Acme:EabKeyId", "kid-1", "Acme:EabHmacKey: external account binding needs both")]
    [InlineData("Acme:WanIp", "router", "Acme:WanIp: 'router' is not an IP address")]
    public void A_bad_acme_setting_names_its_key(string key, string value, string expectedStart)
    {
        var ex = Assert.Throws<SettingException>(() => Read(new(Good) { [key] = value }));
        Assert.StartsWith(expectedStart, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Without_domains_the_start_stops()
    {
        var values = new Dictionary<string, string?>(Good);
        values.Remove("Acme:Domains:0");
        var ex = Assert.Throws<SettingException>(() => Read(values));
        Assert.StartsWith("Acme:Identifiers: missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ip_addresses_are_identifiers_under_either_key_in_canonical_form_and_the_profile_is_passed_on()
    {
        var old = Read(new(Good) { ["Acme:Domains:1"] = "203.0.113.7", ["Acme:Domains:2"] = "[2001:DB8:0:0::7]" });
        Assert.Equal(["cam.example.org", "203.0.113.7", "2001:db8::7"], old.Domains);
        Assert.Equal(["203.0.113.7", "2001:db8::7"], old.Addresses.Select(a => a.ToString()));

        var values = new Dictionary<string, string?>(Good) { ["Acme:Identifiers"] = "203.0.113.7", ["Acme:Profile"] = "shortlived" };
        values.Remove("Acme:Domains:0");
        var renamed = Read(values);
        Assert.Equal(["203.0.113.7"], renamed.Domains);
        Assert.Equal("shortlived", renamed.Profile);
        var options = renamed.CreateManagerOptions();
        Assert.Equal("shortlived", options.Profile);
        Assert.Equal(["203.0.113.7"], options.Domains);
    }

    [Fact]
    public void Identifiers_and_its_older_name_domains_are_not_both_set()
    {
        var ex = Assert.Throws<SettingException>(() => Read(new(Good) { ["Acme:Identifiers:0"] = "203.0.113.7" }));
        Assert.StartsWith("Acme:Domains: is the older name of Acme:Identifiers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_listener_is_its_own_address_and_not_one_of_the_listen_urls()
    {
        var configuration = Configuration(new(Good) { ["Server:Listen:0"] = "https://0.0.0.0:8443", ["Server:PublicListen:0"] = "https://0.0.0.0:8445" });
        var server = TestSettings.Read<ServerSettings>(configuration);
        Assert.Equal(8445, Assert.Single(server.PublicListen).Port);
        Assert.Empty(TestSettings.Read<ServerSettings>(Configuration(Good)).PublicListen);

        var ex = Assert.Throws<SettingException>(() => TestSettings.Read<ServerSettings>(Configuration(new(Good)
        {
            ["Server:Listen:0"] = "https://0.0.0.0:8443",
            ["Server:PublicListen:0"] = "https://0.0.0.0:8443",
        })));
        Assert.StartsWith("Server:PublicListen:0: 'https://0.0.0.0:8443' is also in Server:Listen", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_http_port_that_contradicts_the_servers_plain_listener_is_refused()
    {
        var ex = Assert.Throws<SettingException>(() => Read(new(Good)
        {
            ["Acme:Challenge"] = "http-01",
            ["Acme:HttpPort"] = "80",
            ["Server:HttpListen"] = "http://0.0.0.0:8080",
        }));
        Assert.StartsWith("Acme:HttpPort: 80 differs from the port of Server:HttpListen", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_acme_setting_stops_the_build_with_one_line()
    {
        var ex = Assert.Throws<StartupException>(() => SecureCamHost.Build(Configuration(new(Good) { ["Acme:TermsAccepted"] = "false" })));
        Assert.StartsWith("Acme:TermsAccepted:", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    private static AcmeSettings Read(Dictionary<string, string?> values)
    {
        var configuration = Configuration(values);
        return TestSettings.Read<AcmeSettings>(configuration);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
