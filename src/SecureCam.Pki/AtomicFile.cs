using System.Runtime.InteropServices;

namespace SecureCam.Pki;

/// <summary>
/// Writes a file so that a reader (or a crash) sees either the old content or the new, never half:
/// a temporary file in the same folder (same file system, so the rename is atomic), flushed to disk,
/// then renamed over the target, and the folder flushed so the rename itself survives a power cut. The mode
/// is set at creation, so a secret is never readable by others, not even for a moment. The one writer for the
/// PKI, ACME state, the server's state files and the tools.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Mode for private keys, .p12 files and the index: owner read/write only.</summary>
    public const UnixFileMode Secret = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Mode for certificates and CRLs, which are public.</summary>
    public const UnixFileMode Public = Secret | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>, replacing it if <paramref name="overwrite"/>; a missing
    /// folder is created (mode 0700 for a <see cref="Secret"/> file).
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!overwrite && File.Exists(full))
        {
            throw new PkiException($"{full} already exists; not overwriting it");
        }

        // A missing folder is made, owner-only when it is to hold a secret (ACME keeps keys in folders of their own).
        if (mode == Secret)
        {
            CreatePrivateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory);
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

        SyncDirectory(directory);
    }

    /// <summary>
    /// Flushes a folder's entries to disk (fsync on the folder), so a rename or a new file in it is durable
    /// once this returns. .NET cannot open a folder as a file, hence the two libc calls. Elsewhere than
    /// Linux and macOS it does nothing.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var descriptor = Open(directory, 0 /* O_RDONLY */);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open {directory} to flush it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"cannot flush {directory} to disk (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>Creates a folder (and its parents) readable by its owner only; an existing folder is left as it is.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, PrivateDirectory);
        }
    }

    /// <summary>Mode for the PKI home and issued/: owner only, because they hold keys.</summary>
    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes text as UTF-8 without a byte order mark.</summary>
    public static void WriteText(string path, string content, UnixFileMode mode, bool overwrite = true) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(content), mode, overwrite);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

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
