using System.Security.Cryptography.X509Certificates;
using SecureCam.Server.Authentication;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Streaming;

/// <summary>
/// One open /video stream: its slot in the per-certificate limit and the token that cuts it when its
/// certificate is revoked or expires, or the server stops.
/// </summary>
internal sealed class StreamLease : IDisposable
{
    private readonly ActiveStreams _owner;
    private readonly X509Certificate2 _certificate;
    private readonly IRevocationStatus _revocation;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _cut;
    private string? _cutReason;
    private int _released;

    internal StreamLease(ActiveStreams owner, ClientIdentity client, X509Certificate2 certificate, IRevocationStatus revocation, TimeProvider time, CancellationToken requestAborted, CancellationToken stopping)
    {
        _owner = owner;
        Client = client;
        _certificate = certificate;
        _revocation = revocation;
        _time = time;
        _cut = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
    }

    public ClientIdentity Client { get; }

    /// <summary>The certificate the stream was opened with.</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>Cancelled when the stream must end (client gone, certificate revoked or expired, server stopping).</summary>
    public CancellationToken Token => _cut.Token;

    /// <summary>Why the server cut the stream, or null when it was not cut by the server.</summary>
    public string? CutReason => Volatile.Read(ref _cutReason);

    /// <summary>Re-checks the certificate against the current CRL and the clock; cuts the stream if it no longer holds.</summary>
    public void Recheck()
    {
        if (Volatile.Read(ref _released) != 0)
        {
            return;
        }

        if (_revocation.IsRevoked(_certificate))
        {
            Cut("certificate revoked");
        }
        else if (_time.GetUtcNow() > Client.NotAfter)
        {
            Cut("certificate expired");
        }
    }

    public void Cut(string reason)
    {
        if (Interlocked.CompareExchange(ref _cutReason, reason, null) is null)
        {
            try
            {
                _cut.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended at the same moment.
            }
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _released, 1);
        _owner.Release(this);
        _cut.Dispose();
    }
}
