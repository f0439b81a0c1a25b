using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SecureCam.Acme;
using SecureCam.Server.Configuration;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Acme;

/// <summary>
/// tls-alpn-01 on the HTTPS port. Before the handshake it reads the ClientHello from the connection's
/// input pipe without consuming it (SslStream reads the same bytes next) and marks the connection when
/// ALPN offers <c>acme-tls/1</c> (<see cref="ClientConnectionFeature.OffersAcmeTls1"/>);
/// <see cref="AcmeChallengeCertificateSelector"/> then answers with the challenge certificate and no
/// client-certificate request. After a handshake that negotiated
/// acme-tls/1 the connection is closed: RFC 8737 §3 has the validator do nothing else on it.
/// Kestrel's own ClientHello callback (TlsClientHelloBytesCallback) exists only with
/// HttpsConnectionAdapterOptions, not with the per-connection TlsHandshakeCallbackOptions the server
/// uses, hence this peek.
/// </summary>
internal sealed class AcmeTlsAlpnHook(ServerSettings settings) : ITlsListenerHook
{
    private const int RecordHeaderLength = 5;

    /// <summary>A TLS record holds at most 2^14 bytes of plaintext (RFC 8446 §5.1); a ClientHello's first record is no larger.</summary>
    private const int MaxRecordLength = 16 * 1024;

    public void BeforeHandshake(ListenOptions listen) => listen.Use(next => connection => PeekAsync(next, connection));

    public void AfterHandshake(ListenOptions listen) => listen.Use(next => connection =>
    {
        var alpn = connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
        return alpn.Span.SequenceEqual(TlsAlpn01CertificateStore.Protocol.Protocol.Span)
            ? Task.CompletedTask // returning closes the connection: nothing but the handshake is spoken here.
            : next(connection);
    });

    private async Task PeekAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        // Kestrel's handshake timeout starts only inside its HTTPS layer; a client that connects and
        // stays silent must not hold this read longer than a handshake could take.
        using var timeout = new CancellationTokenSource(settings.HandshakeTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, connection.ConnectionClosed);
        bool offers;
        try
        {
            offers = await OffersAcmeTls1Async(connection.Transport.Input, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // silent or gone: close without a handshake, as Kestrel's timeout would.
        }

        if (offers)
        {
            ClientConnectionFeature.Of(connection).OffersAcmeTls1 = true;
        }

        await next(connection).ConfigureAwait(false);
    }

    /// <summary>Reads until the first TLS record is complete (or is clearly no ClientHello), leaving every byte unread for SslStream.</summary>
    private static async Task<bool> OffersAcmeTls1Async(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var complete = TryGetFirstRecord(buffer, out var record);
            if (complete || result.IsCompleted || result.IsCanceled)
            {
                var offers = complete && record.Length > 0 && Inspect(record);

                // Consumed nothing, examined nothing: the next reader gets every byte again at once.
                input.AdvanceTo(buffer.Start);
                return offers;
            }

            // Consumed nothing, examined all: wait for more bytes.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True once the first record is in <paramref name="buffer"/>; an empty record means "not a TLS handshake: stop looking".</summary>
    private static bool TryGetFirstRecord(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> record)
    {
        record = ReadOnlySequence<byte>.Empty;
        if (buffer.Length < RecordHeaderLength)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[RecordHeaderLength];
        buffer.Slice(0, RecordHeaderLength).CopyTo(header);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
        if (header[0] != 0x16 || length > MaxRecordLength)
        {
            return true; // not a handshake record: SslStream will refuse it; no ALPN to read.
        }

        if (buffer.Length < RecordHeaderLength + length)
        {
            return false;
        }

        record = buffer.Slice(0, RecordHeaderLength + length);
        return true;
    }

    private static bool Inspect(ReadOnlySequence<byte> record)
    {
        var bytes = ArrayPool<byte>.Shared.Rent((int)record.Length);
        try
        {
            record.CopyTo(bytes);
            return TlsClientHelloAlpn.OffersAcmeTls1(bytes.AsSpan(0, (int)record.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
