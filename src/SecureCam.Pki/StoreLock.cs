namespace SecureCam.Pki;

/// <summary>
/// The exclusive lock every change to a PKI store holds: a lock file opened with FileShare.None, which
/// .NET maps to flock(LOCK_EX) on Linux, so the kernel releases it even when a process dies.
/// Others wait by retrying until a deadline: there is no way to be told when a flock is released.
/// </summary>
public sealed class StoreLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(20);
    private readonly FileStream _stream;

    private StoreLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock on <paramref name="lockPath"/>, waiting at most <paramref name="timeout"/>.</summary>
    public static StoreLock Acquire(string lockPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var taken = TryAcquire(lockPath);
            if (taken is not null)
            {
                return taken;
            }

            ThrowIfPast(deadline, lockPath, timeout);
            cancellationToken.WaitHandle.WaitOne(RetryInterval);
        }
    }

    /// <summary>Takes the lock without blocking a thread while waiting.</summary>
    public static async Task<StoreLock> AcquireAsync(string lockPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var taken = TryAcquire(lockPath);
            if (taken is not null)
            {
                return taken;
            }

            ThrowIfPast(deadline, lockPath, timeout);
            await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stream.Dispose();

    private static StoreLock? TryAcquire(string lockPath)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = AtomicFile.Secret;
        }

        try
        {
            return new StoreLock(new FileStream(lockPath, options));
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            return null;
        }
    }

    private static void ThrowIfPast(DateTime deadline, string lockPath, TimeSpan timeout)
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new PkiException($"the PKI store is busy: another process holds {lockPath} (waited {timeout.TotalSeconds:0} s)");
        }
    }
}
