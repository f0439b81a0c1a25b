using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureCam.Server.Authentication;
using SecureCam.Server.Configuration;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Streaming;

/// <summary>
/// The open /video streams: enforces at most N per certificate (one leaked certificate cannot take
/// every connection), cuts the streams of a certificate as soon as a new CRL revokes it or within
/// <see cref="RecheckInterval"/> of its expiry, and cuts every stream whose certificate no longer chains
/// to the local CA once that CA is replaced.
/// </summary>
internal sealed class ActiveStreams : IDisposable
{
    /// <summary>
    /// How often every open stream is checked against the clock: an expiry raises no event, and a timer rather than
    /// the frame loop cuts a stream whose camera has stalled too. A second bounds the overrun at one comparison per stream.
    /// The timer runs only while a stream is open: an idle server wakes for nothing.
    /// </summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<StreamLease> _streams = [];
    private readonly IRevocationStatus _revocation;
    private readonly LocalCaCertificate _ca;
    private readonly TimeProvider _time;
    private readonly int _maxPerCertificate;
    private readonly CancellationToken _stopping;
    private readonly ITimer _recheck;
    private bool _rechecking;

    public ActiveStreams(IRevocationStatus revocation, LocalCaCertificate ca, TimeProvider time, ServerSettings settings, IHostApplicationLifetime lifetime)
    {
        _revocation = revocation;
        _ca = ca;
        _time = time;
        _maxPerCertificate = settings.MaxStreamsPerCertificate;

        // Streams never end by themselves: without this, a shutdown would wait for every viewer to leave.
        _stopping = lifetime.ApplicationStopping;
        _revocation.Changed += OnRevocationChanged;
        _ca.Changed += OnCaChanged;
        _recheck = time.CreateTimer(_ => RecheckAll(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>Whether the re-check timer runs: from the first open stream to the last one's end.</summary>
    internal bool Rechecking
    {
        get
        {
            lock (_gate)
            {
                return _rechecking;
            }
        }
    }

    /// <summary>A lease for a new stream, or null when the certificate already holds its maximum.</summary>
    public StreamLease? TryOpen(ClientIdentity client, X509Certificate2 certificate, CancellationToken requestAborted)
    {
        lock (_gate)
        {
            var open = _streams.Count(s => s.Client.Thumbprint == client.Thumbprint);
            if (open >= _maxPerCertificate)
            {
                return null;
            }

            var lease = new StreamLease(this, client, certificate, _revocation, _time, requestAborted, _stopping);
            _streams.Add(lease);
            if (!_rechecking)
            {
                _rechecking = _recheck.Change(RecheckInterval, RecheckInterval);
            }

            return lease;
        }
    }

    public void Dispose()
    {
        _recheck.Dispose();
        _revocation.Changed -= OnRevocationChanged;
        _ca.Changed -= OnCaChanged;
    }

    internal void Release(StreamLease lease)
    {
        lock (_gate)
        {
            if (_streams.Remove(lease) && _streams.Count == 0 && _rechecking)
            {
                _recheck.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _rechecking = false;
            }
        }
    }

    private void OnRevocationChanged(object? sender, EventArgs e) => RecheckAll();

    private void RecheckAll()
    {
        foreach (var lease in Snapshot())
        {
            try
            {
                lease.Recheck();
            }
            catch (CryptographicException)
            {
                // The stream ended and its connection let go of the certificate at the same moment: nothing left to cut.
            }
        }
    }

    /// <summary>A replaced CA vouches for none of the old certificates: their streams end now, not at their next request.</summary>
    private void OnCaChanged(object? sender, EventArgs e)
    {
        var policy = _ca.ClientChainPolicy;
        foreach (var lease in Snapshot())
        {
            using var chain = new X509Chain { ChainPolicy = policy.Clone() };
            if (!chain.Build(lease.Certificate))
            {
                lease.Cut("the local CA was replaced");
            }
        }
    }

    private StreamLease[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _streams];
        }
    }
}
