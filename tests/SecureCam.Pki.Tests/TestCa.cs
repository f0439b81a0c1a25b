using SecureCam.TestSupport;

namespace SecureCam.Pki.Tests;

/// <summary>A fresh PKI home with a CA (no passphrase unless given) in a temporary folder.</summary>
internal sealed class TestCa : IDisposable
{
    private readonly TempDirectory _temp = new("securecam-pki");

    public TestCa(CaOptions? options = null, string? passphrase = null)
    {
        Store = PkiStore.Open(_temp.Combine("pki"));
        Ca = CertificateAuthority.Init(Store, options ?? new CaOptions(), passphrase);
    }

    public PkiStore Store { get; }

    public CertificateAuthority Ca { get; }

    public string Folder => _temp.Path;

    public void Dispose()
    {
        Ca.Dispose();
        _temp.Dispose();
    }
}
