using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>How issue-* and renew report what they wrote.</summary>
internal static class IssuedPrinter
{
    public static void Print(TextWriter output, IssuedCertificate issued)
    {
        var entry = issued.Entry;
        var role = entry.Role is { } r ? $", role {CertificateProfiles.RoleName(r)}" : string.Empty;
        output.WriteLine($"Issued {entry.Kind.ToString().ToLowerInvariant()} certificate '{entry.Name}'{role}, serial {entry.Serial}, valid until {entry.NotAfter:yyyy-MM-dd}");
        if (entry.DnsNames.Count + entry.IpAddresses.Count > 0)
        {
            output.WriteLine($"  names: {string.Join(", ", entry.DnsNames.Concat(entry.IpAddresses))}");
        }

        output.WriteLine($"  certificate: {issued.CertificatePath}");
        output.WriteLine($"  key:         {issued.KeyPath}");
        output.WriteLine($"  chain:       {issued.ChainPath}");
        if (issued.Pkcs12Path is not null)
        {
            output.WriteLine($"  p12:         {issued.Pkcs12Path} ({entry.Pkcs12Format?.ToString().ToLowerInvariant()})");
        }

        if (issued.Replaced is { } old)
        {
            output.WriteLine($"  replaced serial {old.Serial}, now revoked (superseded); crl.pem rewritten");
        }

        if (issued.Pkcs12PasswordGenerated)
        {
            output.WriteLine($"p12 password (shown once, stored nowhere): {issued.Pkcs12Password}");
        }
    }
}
