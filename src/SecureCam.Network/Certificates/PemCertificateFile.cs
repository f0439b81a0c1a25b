using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Network.Certificates;

/// <summary>Loads the first certificate of a PEM file with X509CertificateLoader (DER only, no key, no chain guessing).</summary>
public static class PemCertificateFile
{
    public static X509Certificate2 Load(string path)
    {
        var text = File.ReadAllText(path);
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            if (remaining[fields.Label].SequenceEqual("CERTIFICATE"))
            {
                var der = Convert.FromBase64String(remaining[fields.Base64Data].ToString());
                return X509CertificateLoader.LoadCertificate(der);
            }

            remaining = remaining[fields.Location.End.Value..];
        }

        throw new CryptographicException($"No CERTIFICATE block in {path}");
    }
}
