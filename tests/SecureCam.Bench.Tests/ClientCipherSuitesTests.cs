using System.Net.Security;
using SecureCam.Bench.Tls;

namespace SecureCam.Bench.Tests;

public sealed class ClientCipherSuitesTests
{
    [Fact]
    public void No_names_leave_the_system_default()
    {
        Assert.Null(ClientCipherSuites.Parse(null));
        Assert.Null(ClientCipherSuites.Parse([]));
        Assert.Null(ClientCipherSuites.Parse([" , "]));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Names_comma_separated_or_repeated_make_one_policy_in_the_order_given()
    {
        var policy = ClientCipherSuites.Parse(["TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"]);

        Assert.NotNull(policy);
        Assert.Equal(
            [TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256],
            policy.AllowedCipherSuites);
    }

    [Theory]
    [InlineData("AES128-GCM-SHA256")]
    [InlineData("tls_aes_128_gcm_sha256")]
    [InlineData("4865")]
    public void A_name_that_is_not_an_IANA_suite_name_stops_the_run_naming_it(string name)
    {
        var error = Assert.Throws<BenchInputException>(() => ClientCipherSuites.Parse([name]));

        Assert.StartsWith($"--cipher-suites {name}: not a TLS cipher suite name", error.Message, StringComparison.Ordinal);
    }
}
