using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace SecureCam.Server.TlsOutput;

/// <summary>
/// The output side of a TLS connection, sending each write straight to the connection's socket.
/// Kestrel's HTTPS layer writes every encrypted record with <see cref="WriteAsync"/> (its stream
/// over the transport forwards <c>Stream.WriteAsync</c> to <c>PipeWriter.WriteAsync</c>), so the
/// record goes from SslStream's buffer to the kernel with no copy and no hop through the socket
/// transport's pipe and send loop. Bytes written with <see cref="GetMemory"/> and <see cref="Advance"/>
/// (nobody on this path does today, but the contract allows it) are kept until the next flush or write.
/// One writer at a time, as for every PipeWriter; SslStream never writes concurrently.
/// <para>
/// The TLS stream cannot go on after a send that fails or is cancelled: SslStream has already sealed
/// that record (its sequence number is spent) even if no byte of it left, and part of it may have. The
/// failure is reported once through <paramref name="onSendFailed"/> (which aborts the connection) and
/// nothing more is sent. A socket error (the client reset the connection, Kestrel shut the socket
/// down) then behaves as Kestrel's transport pipe does: this and every later write returns "completed"
/// and drops its bytes instead of throwing. Throwing would not stop the response: Kestrel's HTTP layer
/// logs an exception from its flush as unexpected and lets the endpoint go on writing into the broken
/// stream. A cancellation is rethrown, since the caller asked for it.
/// </para>
/// </summary>
internal sealed class SocketSendPipeWriter(Socket socket, Action<Exception> onSendFailed) : PipeWriter
{
    private ArrayBufferWriter<byte>? _pending;
    private int _cancelNextFlush;
    private bool _completed;
    private bool _failed;

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_pending is { WrittenCount: > 0 } || Volatile.Read(ref _cancelNextFlush) == 1)
        {
            // Order matters more than the saved copy: what was advanced earlier goes first. A
            // cancelled flush keeps the bytes here, to go out with the next flush or write.
            (_pending ??= new ArrayBufferWriter<byte>(Math.Max(source.Length, 256))).Write(source.Span);
            return FlushAsync(cancellationToken);
        }

        return SendAsync(source, cancellationToken);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _cancelNextFlush, 0) == 1)
        {
            return ValueTask.FromResult(new FlushResult(isCanceled: true, isCompleted: false));
        }

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
    /// Makes the next flush (or write) return canceled; its bytes are kept and go out with the flush or
    /// write after it (a Pipe's reader would see them at once; nothing on this path cancels flushes).
    /// A send already under way is not interrupted by this: it would end the TLS stream. The caller's
    /// token, or Kestrel aborting the socket, is how a send is stopped.
    /// </summary>
    public override void CancelPendingFlush() => Volatile.Write(ref _cancelNextFlush, 1);

    /// <summary>Sends what was advanced but not flushed; the socket itself belongs to Kestrel's transport, which shuts it down.</summary>
    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        if (exception is null && _pending is { WrittenCount: > 0 } pending && !_failed)
        {
            // A failure here is reported through onSendFailed like any other; the connection is over anyway.
            await SendAsync(pending.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
        }

        _completed = true;
        _pending = null;
    }

    /// <summary>The synchronous form of <see cref="CompleteAsync"/>; it may block on a full socket while it sends leftovers.</summary>
    public override void Complete(Exception? exception = null) => CompleteAsync(exception).AsTask().GetAwaiter().GetResult();

    private async ValueTask<FlushResult> SendPendingAsync(ArrayBufferWriter<byte> pending, CancellationToken cancellationToken)
    {
        var result = await SendAsync(pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
        pending.ResetWrittenCount();
        return result;
    }

    private async ValueTask<FlushResult> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
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
            Fail(e);
            return new FlushResult(isCanceled: false, isCompleted: true);
        }
        catch (OperationCanceledException e)
        {
            Fail(e);
            throw;
        }

        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    private void Fail(Exception e)
    {
        _failed = true;
        onSendFailed(e);
    }
}
