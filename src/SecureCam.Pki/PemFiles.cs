using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecureCam.Pki;

/// <summary>
/// CRLs that may be PEM or DER (certificates: <see cref="X509CertificateLoader"/>, which has no CRL counterpart),
/// and the chain file a TLS server sends.
/// </summary>
public static class PemFiles
{
    /// <summary>
    /// The DER inside <paramref name="content"/> when it is PEM with <paramref name="label"/>; the bytes as
    /// they are when they do not look like PEM.
    /// </summary>
    public static byte[] ToDer(byte[] content, string label, string what)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0 || content[0] == 0x30)
        {
            return content;
        }

        var text = Encoding.ASCII.GetString(content);
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            if (remaining[fields.Label].SequenceEqual(label))
            {
                return Convert.FromBase64String(remaining[fields.Base64Data].ToString());
            }

            remaining = remaining[fields.Location.End..];
        }

        throw new PkiException($"{what} holds no PEM block labelled {label}");
    }

    /// <summary>A certificate followed by the CA certificate: what a TLS server sends.</summary>
    internal static string Chain(X509Certificate2 leaf, X509Certificate2 ca) =>
        leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n";
}
