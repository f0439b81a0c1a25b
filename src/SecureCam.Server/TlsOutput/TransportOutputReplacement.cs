using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace SecureCam.Server.TlsOutput;

/// <summary>
/// Runs the rest of a connection's middleware with another output in place of the transport's (the
/// input stays), then completes that output and puts Kestrel's transport back: the shared frame of
/// <see cref="DirectSocketOutput"/> (records to the socket) and <see cref="TlsRecordSizedOutput"/>
/// (full-size records).
/// </summary>
internal static class TransportOutputReplacement
{
    public static async Task RunAsync(ConnectionDelegate next, ConnectionContext connection, PipeWriter output)
    {
        var original = connection.Transport;
        connection.Transport = new ReplacedOutputPipe(original.Input, output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                // Kestrel's HTTP layer never completes the transport's writer (it aborts its own pipe
                // over it), so this is where it is completed, as Kestrel's HTTPS layer completes its
                // own. A connection already closed gets an error passed in, so leftover bytes are
                // dropped instead of being sent to a dead socket, where no Kestrel timeout watches.
                var closed = connection.ConnectionClosed.IsCancellationRequested ? new ConnectionAbortedException("connection closed") : null;
                await output.CompleteAsync(closed).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any failure to flush the last bytes of a finished connection is the connection's end, not the server's.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            finally
            {
                connection.Transport = original;
            }
        }
    }

    private sealed class ReplacedOutputPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
