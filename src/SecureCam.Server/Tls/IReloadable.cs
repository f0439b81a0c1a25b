namespace SecureCam.Server.Tls;

/// <summary>Something read from the PKI folder that must follow the files without a restart.</summary>
internal interface IReloadable
{
    /// <summary>Re-reads the files if their <see cref="FileStamp"/> changed; keeps the old state when the new files are unusable.</summary>
    void ReloadIfChanged();
}
