using System.Diagnostics;
using System.Net.Sockets;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace SecureCam.Telemetry;

/// <summary>
/// One established DTLS 1.2 association from a camera to a collector. Sends are serialised (BouncyCastle only locks
/// the record sequence number); alerts and close_notify surface only inside <see cref="Receive"/>, so an owner must
/// keep receiving.
/// </summary>
public sealed class DtlsClientConnection : IDisposable
{
    private readonly DtlsTransport _dtls;
    private readonly DatagramTransport _transport;
    private readonly Lock _sendLock = new();
    private bool _closed;

    private DtlsClientConnection(DtlsTransport dtls, DatagramTransport transport, PeerIdentity peer, bool deviceCertificateSent, TimeSpan handshakeTime)
    {
        _dtls = dtls;
        _transport = transport;
        Peer = peer;
        DeviceCertificateSent = deviceCertificateSent;
        HandshakeTime = handshakeTime;
    }

    /// <summary>What was (and was not) verified about the collector, with the fingerprint it showed.</summary>
    public PeerIdentity Peer { get; }

    /// <summary>True when the collector asked for a client certificate and we showed the device certificate.</summary>
    public bool DeviceCertificateSent { get; }

    public TimeSpan HandshakeTime { get; }

    /// <summary>
    /// The largest record that fits one datagram of the path. BouncyCastle checks only the 16 KB plaintext limit, so
    /// a larger record would be sent and IP-fragmented; <see cref="Send"/> refuses it instead.
    /// </summary>
    public int RecordLimit => _dtls.GetSendLimit();

    /// <summary>Connects over UDP to HOST:PORT and completes the handshake (bounded by the settings' handshake timeout).</summary>
    public static async Task<DtlsClientConnection> ConnectAsync(string host, int port, ClientSettings settings, CancellationToken cancellationToken)
    {
        var transport = await UdpDatagramTransport.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ConnectAsync(transport, settings, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    /// <summary>Completes the handshake over any datagram transport (tests pass one that drops datagrams).</summary>
    public static async Task<DtlsClientConnection> ConnectAsync(DatagramTransport transport, ClientSettings settings, CancellationToken cancellationToken)
    {
        settings.Validate();
        var client = new CameraTlsClient(settings, new BcTlsCrypto(new SecureRandom()));
        var protocol = new DtlsClientProtocol();
        var stopwatch = Stopwatch.StartNew();

        // The handshake is blocking BouncyCastle code: give it a pool thread and close the transport on cancel.
        using var registration = cancellationToken.Register(transport.Close);
        try
        {
            var dtls = await Task.Run(() => protocol.Connect(client, transport), cancellationToken).ConfigureAwait(false);
            var auth = client.Authentication!;
            return new DtlsClientConnection(dtls, transport, auth.Peer!, auth.DeviceCertificateSent, stopwatch.Elapsed);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Translate(e, client, settings);
        }
    }

    /// <summary>Sends one record in one datagram; thread-safe.</summary>
    public void Send(ReadOnlySpan<byte> record)
    {
        if (record.Length > RecordLimit)
        {
            throw new ArgumentException($"a record of {record.Length} bytes exceeds the {RecordLimit}-byte limit of one datagram", nameof(record));
        }

        lock (_sendLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _dtls.Send(record);
        }
    }

    /// <summary>
    /// Receives one record; -1 when none came within <paramref name="waitMillis"/>. Throws when the collector sent an
    /// alert or close_notify, or the socket failed: the association is then over.
    /// </summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        try
        {
            return _dtls.Receive(buffer, waitMillis);
        }
        catch (TlsFatalAlertReceived e)
        {
            throw new IOException($"the collector ended the session with alert {DtlsPolicy.AlertName(e.AlertDescription)}", e);
        }
        catch (TlsFatalAlert e)
        {
            throw new IOException($"session failed: {DtlsPolicy.AlertName(e.AlertDescription)}", e);
        }
        catch (TlsNoCloseNotifyException e)
        {
            throw new IOException("the collector closed the session", e);
        }
    }

    /// <summary>Sends close_notify and closes the socket.</summary>
    public void Dispose()
    {
        lock (_sendLock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        try
        {
            _dtls.Close();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The socket may already be gone; closing is best effort.
        }

        _transport.Close();
    }

    private static Exception Translate(Exception e, CameraTlsClient client, ClientSettings settings)
    {
        var peer = client.Authentication?.Peer;
        if (client.AlertReceived is { } received)
        {
            return new DtlsRefusedException(DtlsPolicy.AlertName(received), sentByUs: false, null, peer, e);
        }

        if (FindInner<SocketException>(e) is { } socketError)
        {
            return new IOException(socketError.SocketErrorCode == SocketError.ConnectionRefused
                ? "nothing answers on the collector's UDP port (ICMP port unreachable)"
                : $"socket error: {socketError.Message}", e);
        }

        if (client.Authentication?.RefusalReason is { } reason && e is TlsFatalAlert ours)
        {
            return new DtlsRefusedException(DtlsPolicy.AlertName(ours.AlertDescription), sentByUs: true, reason, peer, e);
        }

        if (e is TlsTimeoutException)
        {
            return new TimeoutException($"no complete DTLS handshake within {settings.HandshakeTimeout.TotalSeconds:0.#} s", e);
        }

        return e is TlsFatalAlert alert
            ? new DtlsRefusedException(DtlsPolicy.AlertName(alert.AlertDescription), sentByUs: true, e.InnerException?.Message ?? e.Message, peer, e)
            : new IOException(e.Message, e);
    }

    private static T? FindInner<T>(Exception? e)
        where T : Exception
    {
        while (e is not null)
        {
            if (e is T match)
            {
                return match;
            }

            e = e.InnerException;
        }

        return null;
    }
}
