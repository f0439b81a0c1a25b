using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using SecureCam.Server.Tls;
using SecureCam.TestSupport;
using Xunit.Abstractions;

namespace SecureCam.Server.Tests;

/// <summary>
/// The per-handshake check is correct on the cached path too, and reports what it costs (a quick loop;
/// the real benchmark is `securecam-bench handshakes`). Timing is printed, never asserted.
/// </summary>
public sealed class ValidationCostTests(ITestOutputHelper output)
{
    [Fact]
    public void Cached_validation_gives_the_same_answers_and_reports_its_cost()
    {
        using var pki = new TestPki();
        var good = pki.IssueClient("cost-viewer");
        var stranger = pki.FromAnotherCa("cost-stranger", copyCaName: true);
        var paths = new ServerPkiPaths(pki.Directory, "server");
        var ca = new LocalCaCertificate(paths.CaCertificate, NullLogger<LocalCaCertificate>.Instance);
        var revocation = new RevocationMonitor(paths, ca, NullLogger<RevocationMonitor>.Instance);
        var validator = new ClientCertificateValidator(ca, revocation, TimeProvider.System);

        // As SslStream hands it over: a fresh certificate object each handshake.
        var raw = good.Certificate.RawData;
        var first = Stopwatch.GetTimestamp();
        Assert.True(validator.Validate(X509CertificateLoader.LoadCertificate(raw)).Accepted);
        var uncached = Stopwatch.GetElapsedTime(first);

        const int rounds = 2000;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < rounds; i++)
        {
            using var presented = X509CertificateLoader.LoadCertificate(raw);
            Assert.True(validator.Validate(presented).Accepted);
        }

        var cached = Stopwatch.GetElapsedTime(started) / rounds;

        // The validator alone, on one certificate object (what the cache saves, without X.509 parsing).
        using var same = X509CertificateLoader.LoadCertificate(raw);
        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < rounds; i++)
        {
            Assert.True(validator.Validate(same).Accepted);
        }

        var validatorOnly = Stopwatch.GetElapsedTime(started) / rounds;

        // Parsing alone: SslStream pays this before our callback whatever we do.
        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < rounds; i++)
        {
            using var parsed = X509CertificateLoader.LoadCertificate(raw);
            Assert.Equal(good.Certificate.SerialNumber, parsed.SerialNumber);
        }

        var parseOnly = Stopwatch.GetElapsedTime(started) / rounds;
        Assert.False(validator.Validate(stranger.Certificate).Accepted);
        Assert.False(validator.Validate(stranger.Certificate).Accepted);

        // Revocation is never cached: the same (cached) certificate is refused once the CRL lists it.
        pki.Revoke("cost-viewer");
        revocation.ReloadIfChanged();
        Assert.Equal("revoked", validator.Validate(X509CertificateLoader.LoadCertificate(raw)).Reason);

        output.WriteLine(
            $"first validation (chain build, first use): {uncached.TotalMicroseconds:0} µs; per handshake, fresh certificate object " +
            $"(parse + SHA-256 + clock + CRL lookup): {cached.TotalMicroseconds:0.0} µs; validator alone on one object: {validatorOnly.TotalMicroseconds:0.0} µs; " +
            $"parsing alone: {parseOnly.TotalMicroseconds:0.0} µs (over {rounds})");
    }
}
