namespace SecureCam.Server.Tls;

/// <summary>The files of the PKI folder the server reads (layout in ../shared/design.md and docs/pki.md).</summary>
internal sealed record ServerPkiPaths(string Directory, string ServerCertificateName)
{
    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string Crl => Path.Combine(Directory, "crl.pem");

    public string ServerCertificate => Path.Combine(Directory, "issued", ServerCertificateName, "cert.pem");

    public string ServerKey => Path.Combine(Directory, "issued", ServerCertificateName, "key.pem");

    public string ServerChain => Path.Combine(Directory, "issued", ServerCertificateName, "chain.pem");
}
