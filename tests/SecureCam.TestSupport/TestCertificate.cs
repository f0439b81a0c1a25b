using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.TestSupport;

/// <summary>A certificate with its private key, minted by a test at run time (never committed).</summary>
public sealed class TestCertificate
{
    internal TestCertificate(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    public X509Certificate2 Certificate { get; }

    public ECDsa Key { get; }

    /// <summary>SHA-256 of the DER as colon-separated upper-case hex, as `openssl x509 -fingerprint -sha256` prints it.</summary>
    public string Fingerprint => string.Join(':', Convert.ToHexString(SHA256.HashData(Certificate.RawData)).Chunk(2).Select(c => new string(c)));

    /// <summary>Writes DIR/NAME.crt and DIR/NAME.key (PKCS#8 PEM) and returns their paths.</summary>
    public (string Cert, string Key) Write(string directory, string name)
    {
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(certPath, Certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, Key.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return (certPath, keyPath);
    }
}
