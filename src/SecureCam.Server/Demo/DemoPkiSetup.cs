using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Network.Addresses;
using SecureCam.Pki;

namespace SecureCam.Server.Demo;

/// <summary>
/// Makes (or reuses) everything `securecam demo` needs in a PKI folder: a CA without passphrase, a
/// server certificate for localhost, the host name and the LAN addresses (<see cref="LanAddresses"/>), and the client `demo-viewer`.
/// <para>
/// The .p12 password: the PKI stores it nowhere, yet a second demo run must be able to show it. The demo
/// keeps it in issued/demo-viewer/p12-password.txt (mode 0600) next to the .p12 — acceptable only
/// because the demo CA key lies unencrypted in the same folder anyway; real clients get their password
/// shown once by `securecam-pki issue-client`.
/// </para>
/// </summary>
internal static class DemoPkiSetup
{
    public const string ClientName = "demo-viewer";
    public const string PasswordFileName = "p12-password.txt";
    public const string PassphraseVariable = "SECURECAM_PKI_PASSPHRASE";

    public static DemoPki Prepare(string directory, string serverName, CancellationToken cancellationToken)
    {
        var messages = new List<string>();
        var store = PkiStore.Open(directory);
        var dnsNames = LanAddresses.DnsNames(Dns.GetHostName());

        // Loopback for this machine's own browser and curl, then the LAN addresses (the doctor checks the same).
        IReadOnlyList<IPAddress> addresses = [IPAddress.Loopback, IPAddress.IPv6Loopback, .. LanAddresses.Read()];
        CertificateAuthority? ca = null;
        try
        {
            if (!store.HasCa)
            {
                // The demo CA also permits this box's own bare host name and its LAN addresses, which the
                // default home-network constraints may not cover (a public or documentation range).
                var constraints = NameConstraints.Default.With(
                    dnsNames.Where(n => !NameConstraints.Default.Permits(n)),
                    addresses.Where(a => !NameConstraints.Default.Permits(a)).Select(a => IpSubnet.Parse($"{a}/{(a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}")));
                ca = CertificateAuthority.Init(store, new CaOptions { Name = "SecureCam Demo CA", NameConstraints = constraints }, passphrase: null, cancellationToken);
                messages.Add($"Created a demo CA in {store.Directory} WITHOUT a passphrase on its key (fine for trying SecureCam; for real use run `securecam-pki init`).");
            }
            else
            {
                messages.Add($"Reusing the CA in {store.Directory}.");
            }

            var serverCertificate = store.CertificatePath(serverName);
            if (!File.Exists(serverCertificate))
            {
                ca ??= LoadCa(store);
                var permittedDns = dnsNames.Where(n => ca.NameConstraints?.Permits(n) ?? true).ToList();
                var permittedIp = addresses.Where(a => ca.NameConstraints?.Permits(a) ?? true).ToList();
                ca.IssueServer(serverName, permittedDns, permittedIp, cancellationToken);
                messages.Add($"Issued the server certificate '{serverName}' for {string.Join(", ", permittedDns.Concat(permittedIp.Select(a => a.ToString())))}.");
            }
            else
            {
                messages.Add($"Reusing the server certificate '{serverName}'.");
                var missing = MissingAddresses(serverCertificate, addresses);
                if (missing.Count > 0)
                {
                    messages.Add($"Note: it does not cover {string.Join(", ", missing)}; browsers using those addresses will warn. Renew it with `securecam-pki renew {serverName}` or issue a new one.");
                }
            }

            var passwordFile = Path.Combine(store.EntryDirectory(ClientName), PasswordFileName);
            string? password = null;
            if (!File.Exists(store.CertificatePath(ClientName)))
            {
                ca ??= LoadCa(store);
                password = PasswordGenerator.New();
                ca.IssueClient(new ClientCertificateRequest(ClientName) { Role = ClientRole.Viewer, Pkcs12Password = password }, cancellationToken);
                AtomicFile.WriteText(passwordFile, password + "\n", AtomicFile.Secret);
                messages.Add($"Issued the client certificate '{ClientName}' (p12 and PEM).");
            }
            else if (File.Exists(passwordFile))
            {
                password = File.ReadAllText(passwordFile).Trim();
                messages.Add($"Reusing the client certificate '{ClientName}'.");
            }
            else
            {
                messages.Add($"Reusing the client certificate '{ClientName}'; its .p12 password was shown when it was issued and is stored nowhere. Make a new one with `securecam-pki renew {ClientName}`.");
            }

            return new DemoPki(
                store.Directory,
                store.CaCertificatePath,
                serverName,
                store.CertificatePath(ClientName),
                store.KeyPath(ClientName),
                store.Pkcs12Path(ClientName),
                password,
                password is null ? null : passwordFile,
                messages);
        }
        finally
        {
            ca?.Dispose();
        }
    }

    private static CertificateAuthority LoadCa(PkiStore store)
    {
        var passphrase = Environment.GetEnvironmentVariable(PassphraseVariable);
        if (CertificateAuthority.IsKeyEncrypted(store) && string.IsNullOrEmpty(passphrase))
        {
            throw new PkiException($"the CA in {store.Directory} has a passphrase: set {PassphraseVariable}, or use another folder with --pki");
        }

        return CertificateAuthority.Load(store, passphrase);
    }

    private static List<string> MissingAddresses(string certificatePath, IReadOnlyList<IPAddress> addresses)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var covered = san?.EnumerateIPAddresses().ToHashSet() ?? [];
        return addresses.Where(a => !covered.Contains(a)).Select(a => a.ToString()).ToList();
    }
}
