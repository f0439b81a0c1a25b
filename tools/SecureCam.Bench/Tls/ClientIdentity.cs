using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Bench.Tls;

/// <summary>
/// The bench's side of mutual TLS: the client certificate with its key, and the local CA that the
/// server's certificate must chain to (and nothing else: system roots are not trusted).
/// </summary>
internal sealed class ClientIdentity : IDisposable
{
    private readonly X509Certificate2 _ca;

    private ClientIdentity(X509Certificate2 certificate, X509Certificate2 ca)
    {
        Certificate = certificate;
        _ca = ca;

        // Built once: the chain of our own certificate does not change between connections, and it is
        // not TLS session state, so sharing it does not let a handshake resume.
        CertificateContext = SslStreamCertificateContext.Create(certificate, [], offline: true);
    }

    public X509Certificate2 Certificate { get; }

    public SslStreamCertificateContext CertificateContext { get; }

    /// <summary>Loads PEM files; throws <see cref="BenchInputException"/> naming the file that is wrong.</summary>
    public static ClientIdentity Load(string certPath, string keyPath, string caPath)
    {
        foreach (var (path, what) in new[] { (certPath, "--cert"), (keyPath, "--key"), (caPath, "--ca") })
        {
            if (!File.Exists(path))
            {
                throw new BenchInputException($"{what} {path}: no such file");
            }
        }

        X509Certificate2 certificate;
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);

            // A certificate with an ephemeral key from PEM is re-imported as PKCS#12 because the
            // platform TLS layer wants a key it can hand to OpenSSL as a whole identity.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new BenchInputException($"--cert {certPath} / --key {keyPath}: cannot load ({e.Message})");
        }

        X509Certificate2 ca;
        try
        {
            ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
        }
        catch (CryptographicException e)
        {
            certificate.Dispose();
            throw new BenchInputException($"--ca {caPath}: not a certificate ({e.Message})");
        }

        return new ClientIdentity(certificate, ca);
    }

    /// <summary>Accepts the server's certificate only if it chains to our CA and names the host.</summary>
    public bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _ca.Dispose();
    }
}
