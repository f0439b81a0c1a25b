using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Pki;

namespace SecureCam.Server.Authentication;

/// <summary>Who is on the other end, as their client certificate says: name (CN), role, serial, SHA-256 thumbprint, expiry.</summary>
internal sealed record ClientIdentity(string Name, ClientRole Role, string Serial, string Thumbprint, DateTimeOffset NotAfter)
{
    public const string SerialClaim = "securecam:serial";
    public const string ThumbprintClaim = "securecam:sha256";
    public const string NotAfterClaim = "securecam:notAfter";

    public string RoleName => CertificateProfiles.RoleName(Role);

    /// <param name="sha256">The certificate's SHA-256 (upper-case hex), as its connection already computed it.</param>
    public static ClientIdentity FromCertificate(X509Certificate2 certificate, ClientRole role, string sha256)
    {
        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return new ClientIdentity(
            string.IsNullOrEmpty(name) ? certificate.Subject : name,
            role,
            certificate.SerialNumber,
            sha256,
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    /// <summary>Reads the identity back from the principal the authentication handler made.</summary>
    public static ClientIdentity FromPrincipal(ClaimsPrincipal principal)
    {
        var role = principal.IsInRole(Roles.Admin) ? ClientRole.Admin : principal.IsInRole(Roles.Monitor) ? ClientRole.Monitor : ClientRole.Viewer;
        return new ClientIdentity(
            principal.Identity?.Name ?? "-",
            role,
            principal.FindFirstValue(SerialClaim) ?? "-",
            principal.FindFirstValue(ThumbprintClaim) ?? "-",
            DateTimeOffset.Parse(principal.FindFirstValue(NotAfterClaim) ?? "0001-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, Name),
                new Claim(ClaimTypes.Role, RoleName),
                new Claim(SerialClaim, Serial),
                new Claim(ThumbprintClaim, Thumbprint),
                new Claim(NotAfterClaim, NotAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            ],
            scheme,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }
}
