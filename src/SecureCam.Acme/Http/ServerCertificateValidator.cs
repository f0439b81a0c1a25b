using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Acme;

/// <summary>
/// Trusts the ACME server's TLS certificate when the system trusts it, or when it chains to one of the
/// extra roots (a test CA such as Pebble's). A name mismatch is never forgiven.
/// </summary>
internal static class ServerCertificateValidator
{
    public static bool IsTrusted(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection extraRoots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || extraRoots.Count == 0 || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        try
        {
            return custom.Build(leaf);
        }
        finally
        {
            if (!ReferenceEquals(leaf, certificate))
            {
                leaf.Dispose();
            }
        }
    }
}
