namespace SecureCam.Acme;

/// <summary>
/// The two files of a certificate in a folder: fullchain.pem (leaf then intermediates) and key.pem
/// (mode 0600), each written atomically, the key first.
/// </summary>
public static class CertificateFiles
{
    public const string FullChainFileName = "fullchain.pem";

    public const string KeyFileName = "key.pem";

    public static void Write(string directory, AcmeCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Pki.AtomicFile.WriteText(Path.Combine(directory, KeyFileName), certificate.PrivateKeyPem, Pki.AtomicFile.Secret);
        Pki.AtomicFile.WriteText(Path.Combine(directory, FullChainFileName), certificate.FullChainPem, Pki.AtomicFile.Public);
    }
}
