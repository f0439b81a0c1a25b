using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureCam.Pki;

/// <summary>
/// Writes the files of one issued name (cert.pem, key.pem, chain.pem, NAME.p12) so that issued/NAME
/// appears complete or not at all: everything goes into a hidden sibling folder first, which is then
/// renamed into place. Names never start with a dot, so the hidden folder cannot collide with one.
/// </summary>
internal sealed class EntryWriter
{
    private readonly PkiStore _store;
    private readonly string _name;

    public EntryWriter(PkiStore store, string name)
    {
        _store = store;
        _name = name;
    }

    public string CertificatePath => _store.CertificatePath(_name);

    public string KeyPath => _store.KeyPath(_name);

    public string ChainPath => _store.ChainPath(_name);

    public string Pkcs12Path => _store.Pkcs12Path(_name);

    /// <summary>
    /// Writes the files; with <paramref name="replace"/> an existing folder is swapped out (renewal),
    /// otherwise an existing folder is an error.
    /// </summary>
    public void Write(X509Certificate2 certificateWithKey, ECDsa key, X509Certificate2 ca, Pkcs12Format format, string? pkcs12Password, bool replace)
    {
        AtomicFile.CreatePrivateDirectory(_store.IssuedDirectory);
        var final = _store.EntryDirectory(_name);
        var staging = Path.Combine(_store.IssuedDirectory, $".{_name}.new-{Guid.NewGuid():N}");
        AtomicFile.CreatePrivateDirectory(staging);
        try
        {
            AtomicFile.WriteText(Path.Combine(staging, "cert.pem"), certificateWithKey.ExportCertificatePem() + "\n", AtomicFile.Public);
            AtomicFile.WriteText(Path.Combine(staging, "key.pem"), key.ExportPkcs8PrivateKeyPem() + "\n", AtomicFile.Secret);
            AtomicFile.WriteText(Path.Combine(staging, "chain.pem"), PemFiles.Chain(certificateWithKey, ca), AtomicFile.Public);
            if (pkcs12Password is not null)
            {
                AtomicFile.Write(
                    Path.Combine(staging, _name + ".p12"),
                    Pkcs12Files.Export(certificateWithKey, ca, format, pkcs12Password),
                    AtomicFile.Secret);
            }

            MoveIntoPlace(staging, final, replace);
            AtomicFile.SyncDirectory(_store.IssuedDirectory);
        }
        catch
        {
            TryDeleteDirectory(staging);
            throw;
        }
    }

    private void MoveIntoPlace(string staging, string final, bool replace)
    {
        if (!Directory.Exists(final))
        {
            Directory.Move(staging, final);
            return;
        }

        if (!replace)
        {
            throw new PkiException($"{final} already exists; not overwriting it");
        }

        // Two renames: if the process dies between them, issued/.NAME.old-* still holds the previous files.
        var old = Path.Combine(_store.IssuedDirectory, $".{_name}.old-{Guid.NewGuid():N}");
        Directory.Move(final, old);
        Directory.Move(staging, final);
        TryDeleteDirectory(old);
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
