namespace SecureCam.Pki;

/// <summary>
/// Writes a file so that a reader (or a crash) sees either the old content or the new, never half:
/// a temporary file in the same folder (same file system, so the rename is atomic), flushed to disk,
/// then renamed over the target. The mode is set at creation, so a secret is never readable by others,
/// not even for a moment.
/// </summary>
public static class AtomicFile
{
    /// <summary>Mode for private keys, .p12 files and the index: owner read/write only.</summary>
    public const UnixFileMode Secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Mode for certificates and CRLs, which are public.</summary>
    public const UnixFileMode Public = Secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing it if <paramref name="overwrite"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!overwrite && File.Exists(full))
        {
            throw new PkiException($"{full} already exists; not overwriting it");
        }

        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // The umask can only take bits away; setting the mode again makes it exact either way.
                File.SetUnixFileMode(temporary, mode);
            }

            File.Move(temporary, full, overwrite);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Writes text as UTF-8 without a byte order mark.</summary>
    public static void WriteText(string path, string content, UnixFileMode mode, bool overwrite = true) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(content), mode, overwrite);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
