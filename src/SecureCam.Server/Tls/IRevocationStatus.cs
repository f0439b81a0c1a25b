using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Server.Tls;

/// <summary>The live revocation answer: asked on every handshake, every request and every second of a stream; never cached.</summary>
internal interface IRevocationStatus
{
    /// <summary>True when the current CRL lists the certificate's serial.</summary>
    bool IsRevoked(X509Certificate2 certificate);

    /// <summary>Raised after a new CRL was loaded (open streams re-check their certificate).</summary>
    event EventHandler? Changed;
}
