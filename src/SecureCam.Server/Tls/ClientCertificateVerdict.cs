using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;
using SecureCam.Server.Audit;

namespace SecureCam.Server.Tls;

/// <summary>The answer for one client certificate: accepted with a role, or rejected with a reason for the audit log.</summary>
internal sealed record ClientCertificateVerdict(bool Accepted, string Reason, ClientRole? Role)
{
    public static ClientCertificateVerdict Accept(ClientRole role) => new(true, "accepted", role);

    public static ClientCertificateVerdict Reject(string reason) => new(false, reason, null);

    /// <summary>Describes a certificate for a log line without trusting it: control characters in a scanner's subject cannot forge log lines.</summary>
    public static string Describe(X509Certificate2? certificate) => certificate is null ? "-" : AuditText.Clean(certificate.Subject);
}
