namespace SecureCam.Server.Tls;

/// <summary>
/// The files of the PKI folder the server reads (layout in ../shared/design.md and docs/pki.md), and
/// where the server keeps what it must remember across restarts (<paramref name="StateDirectory"/>;
/// null: pki/server-state).
/// </summary>
internal sealed record ServerPkiPaths(string Directory, string ServerCertificateName, string? StateDirectory = null)
{
    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string Crl => Path.Combine(Directory, "crl.pem");

    public string Index => Path.Combine(Directory, "index.json");

    public string ServerCertificate => Path.Combine(Directory, "issued", ServerCertificateName, "cert.pem");

    public string ServerKey => Path.Combine(Directory, "issued", ServerCertificateName, "key.pem");

    public string ServerChain => Path.Combine(Directory, "issued", ServerCertificateName, "chain.pem");

    /// <summary>Every revocation the server has seen, per CA: a later CRL can add to it, never take away.</summary>
    public string SeenRevocations => Path.Combine(StateDirectory ?? Path.Combine(Directory, "server-state"), "revocations-seen.json");
}
