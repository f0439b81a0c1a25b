using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki.Tests;

public sealed class RoleTests
{
    [Theory]
    [InlineData(ClientRole.Viewer)]
    [InlineData(ClientRole.Admin)]
    [InlineData(ClientRole.Monitor)]
    public void The_role_is_read_back_from_the_certificate(ClientRole role)
    {
        using var test = new TestCa();
        var issued = test.Ca.IssueClient(new ClientCertificateRequest("someone") { Role = role });
        using var publicOnly = X509CertificateLoader.LoadCertificateFromFile(issued.CertificatePath);
        Assert.Equal(role, CertificateProfiles.ReadRole(publicOnly));
        Assert.Equal(role, test.Store.ReadIndex().FindLatest("someone")!.Role);
    }

    [Theory]
    [InlineData("CN=x")]
    [InlineData("CN=x, OU=root")]
    [InlineData("CN=x, OU=viewer, OU=admin")]
    public void No_single_known_role_means_no_role(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Null(CertificateProfiles.ReadRole(certificate));
    }

    [Fact]
    public void Role_words_parse_in_any_case()
    {
        Assert.True(CertificateProfiles.TryParseRole("ADMIN", out var role));
        Assert.Equal(ClientRole.Admin, role);
        Assert.False(CertificateProfiles.TryParseRole("owner", out _));
    }
}
