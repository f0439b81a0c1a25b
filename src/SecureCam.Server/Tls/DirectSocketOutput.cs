using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SecureCam.Server.Tls;

/// <summary>
/// Placed just before Kestrel's HTTPS layer: gives it a transport whose output is the socket itself
/// (<see cref="SocketSendPipeWriter"/>), so each encrypted record leaves SslStream's buffer for the kernel
/// directly. Through Kestrel's socket transport every record was first copied into the transport's
/// pipe (64 KB of 4 KB blocks buffered per connection) and sent later by its send loop: with 200
/// viewers that copy was a sixth of the server's memmove time and the pipes held 13 MB.
/// Reads still come through Kestrel's transport, which keeps owning the socket: it reads, detects the
/// client leaving, aborts, and shuts the socket down once the connection is over, after our last send.
/// A transport without a socket (tests' in-memory transports) is left as it is.
/// </summary>
internal static class DirectSocketOutput
{
    public static void Apply(ListenOptions listen) => listen.Use(next => connection => RunAsync(next, connection));

    private static async Task RunAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        var original = connection.Transport;
        var output = new SocketSendPipeWriter(socket, e => connection.Abort(new ConnectionAbortedException("sending to the client failed: " + e.Message, e)));
        connection.Transport = new SocketDuplexPipe(original.Input, output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            await output.CompleteAsync().ConfigureAwait(false);
            connection.Transport = original;
        }
    }

    private sealed class SocketDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
