using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SecureCam.Server.TlsOutput;

/// <summary>
/// Placed before Kestrel's HTTPS layer: gives it a transport whose output is the socket itself
/// (<see cref="SocketSendPipeWriter"/>), so each encrypted record leaves SslStream's buffer for the kernel
/// directly. Through Kestrel's socket transport every record was first copied into the transport's
/// pipe (up to 64 KB of 4 KB blocks buffered per connection) and sent later by its send loop: with
/// 200 viewers that cost about a quarter of the server's CPU per frame and 13 MB of pinned blocks
/// (docs/benchmarks.md, "records straight to the socket").
/// Reads still come through Kestrel's transport, which keeps owning the socket: it reads, sees the
/// client leave, aborts, and shuts the socket down once the connection is over, after our last send.
/// It comes right before the HTTPS layer (<see cref="TlsOutputListenOptionsExtensions.UseHttps"/>), so
/// the HTTPS layer and everything after it write through it; the middleware before it only reads.
/// A transport without a socket (named pipes, tests' in-memory transports) is left as it is.
/// </summary>
internal static partial class DirectSocketOutput
{
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

        var output = new SocketSendPipeWriter(socket, e =>
        {
            // Debug, as Kestrel logs its own transport's resets: a client leaving is no server problem.
            SendFailed(logger, connection.ConnectionId, e.Message);
            connection.Abort(new ConnectionAbortedException("sending to the client failed: " + e.Message, e));
        });
        await TransportOutputReplacement.RunAsync(next, connection, output).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId}: sending to the client failed, the connection is aborted: {Reason}")]
    private static partial void SendFailed(ILogger logger, string connectionId, string reason);
}
