using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecureCam.Acme;

/// <summary>
/// ACME state in a folder (the server uses PKI_DIR/acme):
/// <code>
/// accounts/HOST_PORT_PATH/account-key.pem   (0600)   accounts/…/account.json
/// certificates/NAME/fullchain.pem                    certificates/NAME/key.pem (0600)
/// </code>
/// Every file is written atomically. The key is written before the chain, so a crash in between leaves a
/// pair that does not match: <see cref="LoadCertificate"/> then reports nothing and a new one is issued.
/// </summary>
public sealed class AcmeFileStorage : IAcmeStorage
{
    private static readonly JsonTypeInfo<Dictionary<string, object?>> Indented =
        (JsonTypeInfo<Dictionary<string, object?>>)new JsonSerializerOptions(AcmeJson.Default.Options) { WriteIndented = true }.GetTypeInfo(typeof(Dictionary<string, object?>));
    private readonly object _gate = new();

    public AcmeFileStorage(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
    }

    public string RootDirectory { get; }

    public string CertificatePath(string name) => Path.Combine(CertificateDirectory(name), CertificateFiles.FullChainFileName);

    public string KeyPath(string name) => Path.Combine(CertificateDirectory(name), CertificateFiles.KeyFileName);

    public AccountKey LoadOrCreateAccountKey(Uri directory)
    {
        var path = Path.Combine(AccountDirectory(directory), "account-key.pem");
        lock (_gate)
        {
            if (File.Exists(path))
            {
                return AccountKey.FromPem(File.ReadAllText(path));
            }

            var key = AccountKey.Generate();
            Pki.AtomicFile.WriteText(path, key.ExportPem(), Pki.AtomicFile.Secret);
            return key;
        }
    }

    public void SaveAccountKey(Uri directory, AccountKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            Pki.AtomicFile.WriteText(Path.Combine(AccountDirectory(directory), "account-key.pem"), key.ExportPem(), Pki.AtomicFile.Secret);
        }
    }

    public void SaveAccount(Uri directory, AcmeAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var record = new Dictionary<string, object?>
        {
            ["directory"] = directory.AbsoluteUri,
            ["location"] = account.Location.AbsoluteUri,
            ["contact"] = account.Resource.Contact,
            ["status"] = account.Resource.Status,
        };
        lock (_gate)
        {
            Pki.AtomicFile.WriteText(Path.Combine(AccountDirectory(directory), "account.json"), JsonSerializer.Serialize(record, Indented), Pki.AtomicFile.Public);
        }
    }

    public AcmeCertificate? LoadCertificate(string name)
    {
        lock (_gate)
        {
            var chainPath = CertificatePath(name);
            var keyPath = KeyPath(name);
            if (!File.Exists(chainPath) || !File.Exists(keyPath))
            {
                return null;
            }

            try
            {
                return AcmeCertificate.FromPem(File.ReadAllText(chainPath), File.ReadAllText(keyPath));
            }
            catch (Exception e) when (e is AcmeException or CryptographicException or ArgumentException)
            {
                // Half-written pair or hand-edited files: issue a new one rather than fail to start.
                return null;
            }
        }
    }

    public void SaveCertificate(string name, AcmeCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        lock (_gate)
        {
            CertificateFiles.Write(CertificateDirectory(name), certificate);
        }
    }

    private string CertificateDirectory(string name) => Path.Combine(RootDirectory, "certificates", SafeName(name));

    private string AccountDirectory(Uri directory) =>
        Path.Combine(RootDirectory, "accounts", SafeName($"{directory.Host}_{directory.Port}{directory.AbsolutePath}"));

    // File names from domains and URLs: letters, digits, dot, dash and underscore only.
    private static string SafeName(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.ToLowerInvariant())
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        var safe = builder.ToString().Trim('.', '_');
        return safe.Length == 0 ? "_" : safe;
    }
}
