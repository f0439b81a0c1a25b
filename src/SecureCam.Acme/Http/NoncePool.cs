using System.Collections.Concurrent;

namespace SecureCam.Acme;

/// <summary>
/// Nonces handed out by the server in Replay-Nonce headers. Every response carries one; keeping them
/// saves a newNonce round trip per request. Each nonce is used at most once.
/// </summary>
internal sealed class NoncePool
{
    // A bound so a long-lived client never grows without limit; old nonces expire on the server anyway.
    private const int Capacity = 16;
    private readonly ConcurrentQueue<string> _nonces = new();

    public void Add(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce))
        {
            return;
        }

        _nonces.Enqueue(nonce);
        while (_nonces.Count > Capacity && _nonces.TryDequeue(out _))
        {
        }
    }

    public bool TryTake(out string nonce)
    {
        if (_nonces.TryDequeue(out var taken))
        {
            nonce = taken;
            return true;
        }

        nonce = "";
        return false;
    }
}
