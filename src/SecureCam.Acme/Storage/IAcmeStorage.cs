namespace SecureCam.Acme;

/// <summary>
/// Where ACME state lives (certmagic's "storage"): the account key per ACME server, and the current
/// certificate and key per certificate name.
/// </summary>
public interface IAcmeStorage
{
    /// <summary>The account key for <paramref name="directory"/>, made and saved (0600) on first use.</summary>
    AccountKey LoadOrCreateAccountKey(Uri directory);

    /// <summary>Replaces the account key for <paramref name="directory"/> (after a key rollover).</summary>
    void SaveAccountKey(Uri directory, AccountKey key);

    /// <summary>Records the account URL and contacts, for people reading the folder.</summary>
    void SaveAccount(Uri directory, AcmeAccount account);

    /// <summary>The stored certificate named <paramref name="name"/>, or null when there is none (or it is unreadable).</summary>
    AcmeCertificate? LoadCertificate(string name);

    void SaveCertificate(string name, AcmeCertificate certificate);
}
