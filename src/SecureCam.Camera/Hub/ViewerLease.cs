namespace SecureCam.Camera.Hub;

/// <summary>Keeps capture running while held; disposing it (once or more) lets go.</summary>
internal sealed class ViewerLease : IDisposable
{
    private Action? _release;

    public ViewerLease(Action release) => _release = release;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
