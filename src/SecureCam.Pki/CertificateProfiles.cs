using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>
/// What each kind of certificate looks like (subjects, purposes, validity), and reading a client's
/// role back out of its certificate.
/// </summary>
public static class CertificateProfiles
{
    /// <summary>id-kp-serverAuth.</summary>
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>id-kp-clientAuth.</summary>
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Organization in every subject this CA writes, so a certificate says where it came from.</summary>
    public const string Organization = "SecureCam";

    /// <summary>The CA's own validity: ten years, so phones are enrolled once for the life of the box.</summary>
    public const int DefaultCaDays = 3650;

    /// <summary>Leaf validity: Apple recommends 397 days (it is also the public-CA limit plus slack).</summary>
    public const int DefaultLeafDays = 397;

    /// <summary>Apple rejects TLS server certificates from user-installed roots valid for longer than 825 days.</summary>
    public const int MaxServerDays = 825;

    /// <summary>
    /// notBefore is set this far in the past: a Raspberry Pi has no real-time clock and may boot with a
    /// clock that is a little behind until NTP catches up, and phones' clocks drift too.
    /// </summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromHours(1);

    private const string OrganizationalUnitOid = "2.5.4.11";

    /// <summary>The word used for a role in the subject's OU and on the command line.</summary>
    public static string RoleName(ClientRole role) => role switch
    {
        ClientRole.Viewer => "viewer",
        ClientRole.Admin => "admin",
        ClientRole.Monitor => "monitor",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Parses "viewer", "admin" or "monitor" (any case).</summary>
    public static bool TryParseRole(string? text, out ClientRole role)
    {
        foreach (var candidate in Enum.GetValues<ClientRole>())
        {
            if (string.Equals(text, RoleName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>
    /// The role carried in a client certificate's subject (OU=viewer, OU=admin or OU=monitor), or null when it has
    /// none, an unknown one, or more than one: a server must then refuse, never guess.
    /// </summary>
    public static ClientRole? ReadRole(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ClientRole? found = null;
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements || rdn.GetSingleElementType().Value != OrganizationalUnitOid)
            {
                continue;
            }

            if (!TryParseRole(rdn.GetSingleElementValue(), out var role) || (found is not null && found != role))
            {
                return null;
            }

            found = role;
        }

        return found;
    }

    /// <summary>
    /// The subject of a leaf: O=SecureCam, OU=role (clients only), CN=NAME. The builder encodes the
    /// attributes in the reverse of the order they are added, so CN goes in first to end up last.
    /// </summary>
    internal static X500DistinguishedName LeafSubject(string name, ClientRole? role)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(name);
        if (role is { } r)
        {
            builder.AddOrganizationalUnitName(RoleName(r));
        }

        builder.AddOrganizationName(Organization);
        return builder.Build();
    }

    /// <summary>The subject of the CA: O=SecureCam, CN=its name (iOS lists a root only if it has a CommonName).</summary>
    internal static X500DistinguishedName CaSubject(string name)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(name);
        builder.AddOrganizationName(Organization);
        return builder.Build();
    }

    /// <summary>The extended key usage a kind of certificate gets.</summary>
    internal static string PurposeOid(CertificateKind kind) =>
        kind == CertificateKind.Server ? ServerAuthOid : ClientAuthOid;
}
