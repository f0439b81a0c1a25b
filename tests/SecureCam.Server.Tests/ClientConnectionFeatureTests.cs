using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.TestSupport;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Tests;

/// <summary>The certificate hash one connection computes once and the handshake validator, the connection limiter and per-request authentication share.</summary>
public sealed class ClientConnectionFeatureTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void A_connection_hashes_its_certificate_once_and_never_answers_for_another_certificate()
    {
        var viewer = _pki.IssueClient("hash-viewer").Certificate;
        var other = _pki.IssueClient("hash-other").Certificate;
        var feature = new ClientConnectionFeature();

        var first = feature.CertificateSha256(viewer);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(viewer.RawData)), first);
        Assert.Same(first, feature.CertificateSha256(viewer));

        // The same bytes in another object (a request's copy of the handshake's certificate): the kept hash.
        using var copy = X509CertificateLoader.LoadCertificate(viewer.RawData);
        Assert.Same(first, feature.CertificateSha256(copy));

        // Another certificate on the same connection is hashed for itself: a key never stands for a certificate it was not made from.
        Assert.Equal(Convert.ToHexString(SHA256.HashData(other.RawData)), feature.CertificateSha256(other));
    }

    [Fact]
    public void Without_a_connection_feature_the_hash_is_computed_on_the_spot()
    {
        var viewer = _pki.IssueClient("hash-alone").Certificate;

        Assert.Equal(Convert.ToHexString(SHA256.HashData(viewer.RawData)), ClientConnectionFeature.CertificateSha256(features: null, viewer));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(viewer.RawData)), ClientConnectionFeature.CertificateSha256(new Microsoft.AspNetCore.Http.Features.FeatureCollection(), viewer));
    }
}
