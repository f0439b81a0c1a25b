using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SecureCam.Server.Tls;

/// <summary>
/// Placed before Kestrel's HTTPS layer: gives it a transport whose output is the socket itself
/// (<see cref="SocketSendPipeWriter"/>), so each encrypted record leaves SslStream's buffer for the kernel
/// directly. Through Kestrel's socket transport every record was first copied into the transport's
/// pipe (up to 64 KB of 4 KB blocks buffered per connection) and sent later by its send loop: with
/// 200 viewers that cost about a quarter of the server's CPU per frame and 13 MB of pinned blocks
/// (docs/benchmarks.md, "records straight to the socket").
/// Reads still come through Kestrel's transport, which keeps owning the socket: it reads, sees the
/// client leave, aborts, and shuts the socket down once the connection is over, after our last send.
/// It is first in the chain, so whatever comes after it (listener hooks, TLS, HTTP) writes through it.
/// A transport without a socket (named pipes, tests' in-memory transports) is left as it is.
/// </summary>
internal static partial class DirectSocketOutput
{
    private static long _connections;

    /// <summary>Connections that have had their output sent straight to the socket (tests check the path is in use).</summary>
    public static long Connections => Interlocked.Read(ref _connections);

    public static void Apply(ListenOptions listen)
    {
        var logger = listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DirectSocketOutput).FullName!);
        listen.Use(next => connection => RunAsync(next, connection, logger));
    }

    private static async Task RunAsync(ConnectionDelegate next, ConnectionContext connection, ILogger logger)
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _connections);
        var original = connection.Transport;
        var output = new SocketSendPipeWriter(socket, e =>
        {
            // Debug, as Kestrel logs its own transport's resets: a client leaving is no server problem.
            SendFailed(logger, connection.ConnectionId, e.Message);
            connection.Abort(new ConnectionAbortedException("sending to the client failed: " + e.Message, e));
        });
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId}: sending to the client failed, the connection is aborted: {Reason}")]
    private static partial void SendFailed(ILogger logger, string connectionId, string reason);

    private sealed class SocketDuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
