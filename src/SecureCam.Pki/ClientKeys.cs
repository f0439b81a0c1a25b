namespace SecureCam.Pki;

/// <summary>
/// Private keys of issued identities that are still on the box (issued/NAME/key.pem, NAME.p12,
/// NAME.mobileconfig). A phone's key belongs on the phone: a stolen SD card must not hand over every
/// phone's identity, so enrollment deletes it once taken and `forget-key` deletes it on request. The
/// certificate, chain and index entry stay, so list, revoke and renew keep working.
/// </summary>
public static class ClientKeys
{
    /// <summary>True when a private key of <paramref name="name"/> (PEM or inside a .p12 or profile) is on the box.</summary>
    public static bool IsOnBox(PkiStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Files(store, name).Any(File.Exists);
    }

    /// <summary>Deletes the key files of <paramref name="name"/>; returns the paths deleted (none: nothing was there).</summary>
    public static IReadOnlyList<string> Forget(PkiStore store, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        CertificateNames.Validate(name);
        using var storeLock = store.Lock(cancellationToken: cancellationToken);
        if (store.ReadIndex().FindLatest(name) is null)
        {
            throw new PkiException($"no certificate named '{name}' in {store.IndexPath}");
        }

        return ForgetLocked(store, name);
    }

    /// <summary>As <see cref="Forget"/>; the caller holds the lock.</summary>
    internal static IReadOnlyList<string> ForgetLocked(PkiStore store, string name)
    {
        var deleted = new List<string>();
        foreach (var path in Files(store, name).Where(File.Exists))
        {
            File.Delete(path);
            deleted.Add(path);
        }

        return deleted;
    }

    private static string[] Files(PkiStore store, string name) =>
    [
        store.KeyPath(name),
        store.Pkcs12Path(name),
        Path.Combine(store.EntryDirectory(name), name + ".mobileconfig"),
    ];
}
