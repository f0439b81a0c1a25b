using System.Net.Security;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.Tls;

/// <summary>
/// The cipher suites every TLS listener offers: AEAD only (GCM and ChaCha20-Poly1305, in TLS 1.2 and 1.3;
/// no CBC, whose MAC-then-encrypt is what LUCKY13 attacks), with forward secrecy (ECDHE), in the server's
/// order (.NET sets OpenSSL's server preference). The order follows the hardware: with AES instructions
/// AES-128-GCM costs least per byte, without them (a Raspberry Pi 4's Cortex-A72) ChaCha20-Poly1305 is
/// several times cheaper (docs/security.md has the figures). <c>Server:CipherPreference</c> overrides the
/// detection. The key-exchange groups are limited by <see cref="OpenSslGroups"/>.
/// </summary>
internal sealed partial class TlsCipherPolicy
{
    public TlsCipherPolicy(ServerSettings settings, ILogger<TlsCipherPolicy> logger)
    {
        AesFirst = settings.CipherPreference switch
        {
            CipherPreference.Aes => true,
            CipherPreference.ChaCha20 => false,
            _ => HasAesInstructions,
        };
        Suites = Order(AesFirst);

        // CipherSuitesPolicy is OpenSSL's (Linux); elsewhere the platform's defaults stay.
        Policy = OperatingSystem.IsLinux() ? new CipherSuitesPolicy(Suites) : null;
        var groups = OpenSslGroups.EnsureLimited();
        LogPolicy(
            logger,
            AesFirst ? "AES-128-GCM" : "ChaCha20-Poly1305",
            settings.CipherPreference == CipherPreference.Auto ? $"detected: {(HasAesInstructions ? "AES instructions present" : "no AES instructions")}" : $"Server:CipherPreference = {settings.CipherPreference.ToString().ToLowerInvariant()}",
            groups.Problem is null ? groups.Groups : "not limited");
        if (groups.Problem is { } problem)
        {
            LogGroupsNotLimited(logger, problem, OpenSslGroups.ConfigurationHint);
        }
    }

    /// <summary>Whether this CPU encrypts AES in hardware (x86 AES-NI, Armv8 Cryptography Extensions).</summary>
    public static bool HasAesInstructions => System.Runtime.Intrinsics.X86.Aes.IsSupported || System.Runtime.Intrinsics.Arm.Aes.IsSupported;

    public bool AesFirst { get; }

    /// <summary>The offered suites, most preferred first, TLS 1.3 before TLS 1.2.</summary>
    public IReadOnlyList<TlsCipherSuite> Suites { get; }

    /// <summary>One instance for every connection (it is read, never changed, by SslStream); null where the platform has no such policy.</summary>
    public CipherSuitesPolicy? Policy { get; }

    /// <summary>
    /// AES-256-GCM stays after AES-128-GCM in both orders: it does 14 rounds against 10 and adds nothing
    /// a 128-bit key lacks here, and a client that can do only AES-256 (some enterprise policies) still connects.
    /// ECDHE-RSA suites are for an ACME certificate with an RSA key; the local CA's server certificates are ECDSA.
    /// </summary>
    public static IReadOnlyList<TlsCipherSuite> Order(bool aesFirst)
    {
        TlsCipherSuite[] tls13 = aesFirst
            ? [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256]
            : [TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384];
        TlsCipherSuite[] ecdsa = aesFirst
            ? [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]
            : [TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384];
        TlsCipherSuite[] rsa = aesFirst
            ? [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]
            : [TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384];
        return [.. tls13, .. ecdsa, .. rsa];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS ciphers: AEAD only, {First} first ({Why}); key exchange groups: {Groups}")]
    private static partial void LogPolicy(ILogger logger, string first, string why, string groups);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS key exchange could not be limited to elliptic curves ({Problem}); {Hint}")]
    private static partial void LogGroupsNotLimited(ILogger logger, string problem, string hint);
}
