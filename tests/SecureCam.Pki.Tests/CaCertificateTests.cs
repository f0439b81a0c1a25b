using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

public sealed class CaCertificateTests
{
    [SkippableTheory]
    [InlineData(CaKeyAlgorithm.EcdsaP256, "ecdsa-with-SHA256", "prime256v1")]
    [InlineData(CaKeyAlgorithm.EcdsaP384, "ecdsa-with-SHA384", "secp384r1")]
    [InlineData(CaKeyAlgorithm.Rsa3072, "sha256WithRSAEncryption", "3072 bit")]
    public async Task Ca_has_the_extensions_phones_need(CaKeyAlgorithm algorithm, string signature, string keyText)
    {
        using var test = new TestCa(new CaOptions { KeyAlgorithm = algorithm, Name = "Test Home CA" });
        var text = await OpenSslCli.RunOkAsync("x509", "-in", test.Store.CaCertificatePath, "-noout", "-text");

        Assert.Contains("Subject: O = SecureCam, CN = Test Home CA", text);
        Assert.Contains("X509v3 Basic Constraints: critical", text);
        Assert.Contains("CA:TRUE", text);
        Assert.Contains("X509v3 Key Usage: critical", text);
        Assert.Contains("Certificate Sign, CRL Sign", text);
        Assert.Contains("X509v3 Subject Key Identifier", text);
        Assert.Contains("X509v3 Name Constraints: critical", text);
        Assert.Contains("DNS:home.arpa", text);
        Assert.Contains("IP:100.64.0.0/255.192.0.0", text);
        Assert.Contains("IP:FC00:0:0:0:0:0:0:0/FE00:0:0:0:0:0:0:0", text);
        Assert.Contains(signature, text);
        Assert.Contains(keyText, text);

        // A self-signed root verifies against itself.
        await OpenSslCli.RunOkAsync("verify", "-CAfile", test.Store.CaCertificatePath, test.Store.CaCertificatePath);
    }

    [Fact]
    public void Ca_lasts_ten_years_and_is_backdated_an_hour()
    {
        using var test = new TestCa();
        var notBefore = test.Ca.Certificate.NotBefore.ToUniversalTime();
        var notAfter = test.Ca.Certificate.NotAfter.ToUniversalTime();
        Assert.InRange(DateTime.UtcNow - notBefore, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(65));
        Assert.InRange((notAfter - DateTime.UtcNow).TotalDays, 3649, 3650.1);
    }

    [Fact]
    public void Without_name_constraints_the_extension_is_absent()
    {
        using var test = new TestCa(new CaOptions { NameConstraints = null });
        Assert.Null(test.Ca.Certificate.Extensions[NameConstraints.Oid]);
        Assert.Null(test.Ca.NameConstraints);
    }

    [Fact]
    public void Empty_name_constraints_are_refused_rather_than_written_invalid()
    {
        var options = new CaOptions { NameConstraints = new NameConstraints([], []) };
        var error = Assert.Throws<PkiException>(options.Validate);
        Assert.Contains("--no-name-constraints", error.Message);
    }

    [Fact]
    public void Init_refuses_a_home_that_has_a_ca()
    {
        using var test = new TestCa();
        var before = File.ReadAllBytes(test.Store.CaKeyPath);
        var error = Assert.Throws<PkiException>(() => CertificateAuthority.Init(test.Store, new CaOptions(), null));
        Assert.Contains("already holds a CA", error.Message);
        Assert.Equal(before, File.ReadAllBytes(test.Store.CaKeyPath));
    }
}
