using System.Security.Cryptography.X509Certificates;
using SecureCam.TestSupport;

namespace SecureCam.Acme.Tests.Support;

/// <summary>Checks certificates with openssl, an independent peer.</summary>
internal static class OpensslVerify
{
    /// <summary>Runs `openssl verify -CAfile ROOT -untrusted INTERMEDIATES LEAF` and returns its result.</summary>
    public static async Task<ProcessResult> ChainAsync(string directory, AcmeCertificate certificate, string rootPem, string untrustedPem)
    {
        var openssl = Peer.Require("openssl");
        var leaf = Path.Combine(directory, "leaf.pem");
        var root = Path.Combine(directory, "root.pem");
        var untrusted = Path.Combine(directory, "untrusted.pem");
        await File.WriteAllTextAsync(leaf, certificate.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(root, rootPem);
        await File.WriteAllTextAsync(untrusted, untrustedPem);
        return await ExternalProcess.RunAsync(openssl, ["verify", "-CAfile", root, "-untrusted", untrusted, leaf]);
    }

    public static string ChainPem(AcmeCertificate certificate) =>
        string.Concat(certificate.Chain.Cast<X509Certificate2>().Select(c => c.ExportCertificatePem() + "\n"));
}
