using System.Text.RegularExpressions;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// What the server offers, read by openssl s_client one suite and one group at a time: AEAD suites only in
/// TLS 1.2 and 1.3 (ChaCha20-Poly1305 in both), elliptic-curve groups only (no ffdhe in TLS 1.3), and the
/// suites in the order chosen for the CPU, or by <c>Server:CipherPreference</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class TlsCipherTests(ServerFixture server)
{
    private static readonly string[] AesFirst13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"];
    private static readonly string[] ChaChaFirst13 = ["TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"];
    private static readonly string[] AesFirst12 = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"];
    private static readonly string[] ChaChaFirst12 = ["ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"];

    /// <summary>
    /// CBC suites an ECDSA server certificate could use (.NET's default list offered the SHA-2 ones), and the
    /// groups outside the elliptic-curve list: OpenSSL 3 offers ffdhe in TLS 1.3 by default, where a client
    /// could make the server compute 8192-bit DH.
    /// </summary>
    [SkippableTheory]
    [InlineData("-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA384")]
    [InlineData("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256")]
    [InlineData("-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA")]
    [InlineData("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA")]
    [InlineData("-tls1_3", "-groups", "ffdhe2048")]
    [InlineData("-tls1_3", "-groups", "ffdhe3072")]
    [InlineData("-tls1_3", "-groups", "ffdhe4096")]
    [InlineData("-tls1_3", "-groups", "ffdhe6144")]
    [InlineData("-tls1_3", "-groups", "ffdhe8192")]
    [InlineData("-tls1_3", "-groups", "X448")]
    [InlineData("-tls1_3", "-groups", "P-521")]
    public async Task A_cbc_suite_or_a_group_outside_the_list_is_refused(string version, string option, string value)
    {
        var handshake = await HandshakeAsync(server, version, option, value);
        Assert.False(handshake.Completed, handshake.Output);
    }

    [SkippableTheory]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES128-GCM-SHA256")]
    [InlineData("-tls1_2", "ECDHE-ECDSA-AES256-GCM-SHA384")]
    [InlineData("-tls1_2", "ECDHE-ECDSA-CHACHA20-POLY1305")]
    [InlineData("-tls1_3", "TLS_AES_128_GCM_SHA256")]
    [InlineData("-tls1_3", "TLS_AES_256_GCM_SHA384")]
    [InlineData("-tls1_3", "TLS_CHACHA20_POLY1305_SHA256")]
    public async Task An_aead_suite_is_accepted(string version, string suite)
    {
        var handshake = await HandshakeAsync(server, version, version == "-tls1_3" ? "-ciphersuites" : "-cipher", suite);
        Assert.True(handshake.Completed, handshake.Output);
        Assert.Equal(suite, handshake.Cipher);
    }

    [SkippableTheory]
    [InlineData("-tls1_3", "X25519", "X25519")]
    [InlineData("-tls1_3", "P-256", "prime256v1")]
    [InlineData("-tls1_3", "P-384", "secp384r1")]
    // In TLS 1.2 the client's groups must also name the curve of the ECDSA certificate (P-256).
    [InlineData("-tls1_2", "X25519:P-256", "X25519")]
    [InlineData("-tls1_2", "P-256", "prime256v1")]
    public async Task An_elliptic_curve_group_is_accepted(string version, string group, string shown)
    {
        var handshake = await HandshakeAsync(server, version, "-groups", group);
        Assert.True(handshake.Completed, handshake.Output);
        Assert.Contains(shown, handshake.TempKey, StringComparison.Ordinal);
    }

    /// <summary>With AES instructions AES-128-GCM is cheapest per byte; without them (a Raspberry Pi 4) ChaCha20-Poly1305 is.</summary>
    [SkippableFact]
    public async Task By_default_the_suites_are_ordered_for_this_cpu()
    {
        var aes = System.Runtime.Intrinsics.X86.Aes.IsSupported || System.Runtime.Intrinsics.Arm.Aes.IsSupported;
        Assert.Equal(aes ? AesFirst13 : ChaChaFirst13, await ServerOrderAsync(server, "-tls1_3", "-ciphersuites", AesFirst13));
        Assert.Equal(aes ? AesFirst12 : ChaChaFirst12, await ServerOrderAsync(server, "-tls1_2", "-cipher", AesFirst12));
    }

    [SkippableTheory]
    [InlineData("chacha20")]
    [InlineData("aes")]
    public async Task The_setting_overrides_the_detected_order(string preference)
    {
        Peer.Require("openssl");
        var other = new ServerFixture(_ => new Dictionary<string, string?> { ["Server:CipherPreference"] = preference });
        await other.InitializeAsync();
        try
        {
            var chacha = preference == "chacha20";
            Assert.Equal(chacha ? ChaChaFirst13 : AesFirst13, await ServerOrderAsync(other, "-tls1_3", "-ciphersuites", AesFirst13));
            Assert.Equal(chacha ? ChaChaFirst12 : AesFirst12, await ServerOrderAsync(other, "-tls1_2", "-cipher", AesFirst12));
        }
        finally
        {
            await other.DisposeAsync();
        }
    }

    /// <summary>
    /// The server's order of <paramref name="suites"/>: each round offers what is left, in the client's
    /// order reversed from the server's expected one, and takes away what the server picked.
    /// </summary>
    private static async Task<List<string>> ServerOrderAsync(ServerFixture target, string version, string option, string[] suites)
    {
        var left = suites.Reverse().ToList();
        var order = new List<string>();
        while (left.Count > 0)
        {
            var handshake = await HandshakeAsync(target, version, option, string.Join(':', left));
            Assert.True(handshake.Completed, handshake.Output);
            order.Add(handshake.Cipher);
            Assert.True(left.Remove(handshake.Cipher), $"picked {handshake.Cipher}, not one offered");
        }

        return order;
    }

    private static async Task<Handshake> HandshakeAsync(ServerFixture target, params string[] options)
    {
        var openssl = Peer.Require("openssl");
        var result = await ExternalProcess.RunAsync(
            openssl,
            [
                "s_client", "-connect", $"127.0.0.1:{target.Port}", "-servername", "localhost",
                "-CAfile", target.Pki.CaCertificatePath, "-cert", target.Viewer.CertificatePath, "-key", target.Viewer.KeyPath,
                .. options,
            ],
            standardInput: string.Empty,
            timeout: TimeSpan.FromSeconds(30));
        var output = result.Combined;

        // "New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256", or "New, (NONE), Cipher is (NONE)" when refused.
        var cipher = CipherLine().Match(output) is { Success: true } m ? m.Groups[1].Value : "(NONE)";
        var tempKey = TempKeyLine().Match(output) is { Success: true } k ? k.Groups[1].Value : string.Empty;
        return new Handshake(cipher != "(NONE)" && output.Contains("Verify return code: 0 (ok)", StringComparison.Ordinal), cipher, tempKey, output);
    }

    [GeneratedRegex(@"Cipher is (\S+)")]
    private static partial Regex CipherLine();

    [GeneratedRegex(@"Server Temp Key: (.+)")]
    private static partial Regex TempKeyLine();

    private sealed record Handshake(bool Completed, string Cipher, string TempKey, string Output);
}
