namespace SecureCam.Server.Tls;

/// <summary>
/// A cheap fingerprint of some files (last write time and length of each): one stat per file, so the
/// watchers can poll every half second without reading anything until a file actually changed.
/// </summary>
internal readonly record struct FileStamp(string Value)
{
    public static FileStamp Of(params string[] paths)
    {
        var parts = new string[paths.Length];
        for (var i = 0; i < paths.Length; i++)
        {
            var info = new FileInfo(paths[i]);
            parts[i] = info.Exists ? $"{info.LastWriteTimeUtc.Ticks}:{info.Length}" : "missing";
        }

        return new FileStamp(string.Join('|', parts));
    }
}
