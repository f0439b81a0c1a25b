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
        StoreLock? taken;
        while ((taken = Attempt(lockPath, deadline, timeout, cancellationToken)) is null)
        {
            cancellationToken.WaitHandle.WaitOne(RetryInterval);
        }

        return taken;
    }

    /// <summary>Takes the lock without blocking a thread while waiting.</summary>
    public static async Task<StoreLock> AcquireAsync(string lockPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        StoreLock? taken;
        while ((taken = Attempt(lockPath, deadline, timeout, cancellationToken)) is null)
        {
            await Task.Delay(RetryInterval, cancellationToken).ConfigureAwait(false);
        }

        return taken;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>One try: the lock, or null to wait and try again; throws once the deadline has passed.</summary>
    private static StoreLock? Attempt(string lockPath, DateTime deadline, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var taken = TryAcquire(lockPath);
        if (taken is null && DateTime.UtcNow > deadline)
        {
            throw new PkiException($"the PKI store is busy: another process holds {lockPath} (waited {timeout.TotalSeconds:0} s)");
        }

        return taken;
    }

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
}
