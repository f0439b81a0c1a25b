using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace SecureCam.Telemetry;

/// <summary>One camera's DTLS session at the collector, run on its own thread (BouncyCastle's API is blocking).</summary>
internal sealed class CollectorSession
{
    private readonly TelemetryCollector _collector;
    private readonly CollectorOptions _options;
    private readonly CollectorTlsServer _server;
    private readonly Lock _sendLock = new();
    private DtlsTransport? _dtls;
    private volatile bool _stopping;

    public CollectorSession(TelemetryCollector collector, CollectorOptions options, PeerDatagramTransport transport)
    {
        _collector = collector;
        _options = options;
        Transport = transport;
        _server = new CollectorTlsServer(options, new BcTlsCrypto(new SecureRandom()));
    }

    public PeerDatagramTransport Transport { get; }

    public IPEndPoint Remote => Transport.Remote;

    public bool Established => _dtls is not null;

    public Thread Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "dtls " + Remote };
        thread.Start();
        return thread;
    }

    /// <summary>Sends close_notify (when established) and ends the session.</summary>
    public void Stop()
    {
        _stopping = true;
        lock (_sendLock)
        {
            try
            {
                _dtls?.Close();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // Best effort: the peer may be gone.
            }
        }

        Transport.Close();
    }

    private void Run()
    {
        try
        {
            var protocol = new DtlsServerProtocol();
            DtlsTransport dtls;
            try
            {
                dtls = protocol.Accept(_server, Transport);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // Reported even while stopping: the collector counts pending handshakes down here.
                _collector.HandshakeFailed(this, _stopping ? null : Describe(e, inHandshake: true));
                return;
            }

            lock (_sendLock)
            {
                _dtls = dtls;
            }

            var identity = _server.CameraName is null ? "unverified" : _server.CameraName;
            _collector.SessionEstablished(this, identity);
            ReceiveRecords(dtls, identity);
        }
        finally
        {
            _collector.SessionEnded(this);
            Transport.Dispose();
        }
    }

    private void ReceiveRecords(DtlsTransport dtls, string identity)
    {
        var buffer = new byte[dtls.GetReceiveLimit()];
        var lastHeard = DateTime.UtcNow;
        while (!_stopping)
        {
            int received;
            try
            {
                received = dtls.Receive(buffer, 0, buffer.Length, 1000);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                if (!_stopping)
                {
                    _collector.SessionClosed(this, Describe(e, inHandshake: false));
                }

                return;
            }

            if (received < 0)
            {
                if (DateTime.UtcNow - lastHeard > _options.IdleTimeout)
                {
                    _collector.SessionClosed(this, $"idle for {_options.IdleTimeout.TotalSeconds:0} s");
                    return;
                }

                continue;
            }

            lastHeard = DateTime.UtcNow;
            HandleRecord(dtls, buffer.AsSpan(0, received), identity);
        }
    }

    private void HandleRecord(DtlsTransport dtls, ReadOnlySpan<byte> data, string identity)
    {
        JsonObject? record;
        try
        {
            record = JsonNode.Parse(data) as JsonObject;
        }
        catch (JsonException)
        {
            record = null;
        }

        long sequence = 0;
        if (record is null || record["seq"] is not JsonValue seqValue || !seqValue.TryGetValue(out sequence))
        {
            _collector.MalformedRecord(this);
            return;
        }

        _collector.WriteRecord(this, identity, _server.CameraFingerprint, record);
        var ack = TelemetryJson.Acknowledgement(sequence);
        lock (_sendLock)
        {
            try
            {
                dtls.Send(ack);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // The receive loop notices a dead session; a lost acknowledgement only causes a resend.
            }
        }
    }

    private string Describe(Exception e, bool inHandshake) => e switch
    {
        TlsFatalAlertReceived received when inHandshake => $"the camera refused us with alert {DtlsPolicy.AlertName(received.AlertDescription)}",
        TlsFatalAlertReceived received => $"the camera sent alert {DtlsPolicy.AlertName(received.AlertDescription)}",
        TlsFatalAlert { InnerException: ObjectDisposedException } => "the session was closed (close_notify)",
        TlsFatalAlert alert when _server.RefusalReason is not null => $"refused with alert {DtlsPolicy.AlertName(alert.AlertDescription)}: {_server.RefusalReason}",
        TlsTimeoutException => $"no complete handshake within {_options.HandshakeTimeout.TotalSeconds:0.#} s",
        TlsFatalAlert alert => $"alert {DtlsPolicy.AlertName(alert.AlertDescription)}" + (alert.InnerException is null ? "" : $" ({alert.InnerException.Message})"),
        TlsNoCloseNotifyException or ObjectDisposedException => "the camera closed the session",
        _ => e.Message,
    };
}
