namespace SecureCam.Server.Tls;

/// <summary>Something read from the PKI folder that must follow the files without a restart.</summary>
internal interface IReloadable
{
    /// <summary>Re-reads the files if their <see cref="FileStamp"/> changed; keeps the old state when the new files are unusable.</summary>
    void ReloadIfChanged();
}

/// <summary>
/// Something that follows the PKI folder and acts on it beyond reading (the enrollment port opens and closes with the
/// tickets): called on every tick of <see cref="PkiFileWatcher"/>, after the <see cref="IReloadable"/>s.
/// </summary>
internal interface IAsyncReloadable
{
    /// <summary>Looks at the files again and acts; reports its own failures (the watcher logs what escapes).</summary>
    Task ReloadIfChangedAsync(CancellationToken cancellationToken);
}
