using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace SecureCam.Server.Tls;

/// <summary>
/// The output side of a TLS connection, sending each write straight to the connection's socket.
/// Kestrel's HTTPS layer writes every encrypted record with <see cref="WriteAsync"/> (its stream
/// over the transport forwards <c>Stream.WriteAsync</c> to <c>PipeWriter.WriteAsync</c>), so the
/// record goes from SslStream's buffer to the kernel with no copy and no hop through the socket
/// transport's pipe and send loop. Bytes written with <see cref="GetMemory"/> and <see cref="Advance"/>
/// (nobody on this path does today, but the contract allows it) are kept until the next flush or write.
/// One writer at a time, as for every PipeWriter; SslStream never writes concurrently.
/// A socket that fails (the client reset the connection, Kestrel shut it down) behaves as Kestrel's
/// transport pipe does then: the failure is reported once through <paramref name="onSendFailed"/>
/// (which aborts the connection), and this and every later write returns "completed" and drops its
/// bytes instead of throwing. Throwing would not stop the response: Kestrel's HTTP layer logs an
/// exception from its flush as unexpected and lets the endpoint go on writing into the failed stream.
/// </summary>
internal sealed class SocketSendPipeWriter(Socket socket, Action<Exception> onSendFailed) : PipeWriter
{
    private ArrayBufferWriter<byte>? _pending;
    private int _cancelNextFlush;
    private bool _completed;
    private bool _failed;

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (_pending is { WrittenCount: > 0 })
        {
            // Order matters more than the saved copy: what was advanced earlier goes first.
            _pending.Write(source.Span);
            return FlushAsync(cancellationToken);
        }

        return SendAsync(source, cancellationToken);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pending is not { WrittenCount: > 0 } pending)
        {
            return ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: _completed || _failed));
        }

        return SendPendingAsync(pending, cancellationToken);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        return (_pending ??= new ArrayBufferWriter<byte>(4096)).GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes) => (_pending ?? throw new InvalidOperationException("Advance without GetMemory")).Advance(bytes);

    /// <summary>
    /// Makes the next write or flush return canceled without sending. A send already under way is not
    /// interrupted: a record cut in half would end the TLS stream anyway, and the caller's token (or
    /// Kestrel aborting the socket) is how a send is stopped. Nothing on this path calls it today.
    /// </summary>
    public override void CancelPendingFlush() => Volatile.Write(ref _cancelNextFlush, 1);

    /// <summary>The socket belongs to Kestrel's transport, which shuts it down; completing only stops writes here.</summary>
    public override void Complete(Exception? exception = null)
    {
        _completed = true;
        _pending = null;
    }

    private async ValueTask<FlushResult> SendPendingAsync(ArrayBufferWriter<byte> pending, CancellationToken cancellationToken)
    {
        var result = await SendAsync(pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
        pending.ResetWrittenCount();
        return result;
    }

    private async ValueTask<FlushResult> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (Interlocked.Exchange(ref _cancelNextFlush, 0) == 1)
        {
            return new FlushResult(isCanceled: true, isCompleted: false);
        }

        if (_failed)
        {
            return new FlushResult(isCanceled: false, isCompleted: true);
        }

        try
        {
            // On a stream socket SendAsync returns once everything is queued in the kernel; the loop is
            // for the contract (it reports a count), not for a case seen.
            while (!data.IsEmpty)
            {
                var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[sent..];
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _failed = true;
            onSendFailed(e);
            return new FlushResult(isCanceled: false, isCompleted: true);
        }

        return new FlushResult(isCanceled: false, isCompleted: false);
    }
}
