using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Server.Tests.Support;

/// <summary>A client identity as PEM files (for curl and openssl) and as a certificate with its key (for HttpClient).</summary>
internal sealed record ClientFiles(string Name, string CertificatePath, string KeyPath, X509Certificate2 Certificate);
