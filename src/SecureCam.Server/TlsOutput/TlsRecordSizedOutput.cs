using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SecureCam.Server.TlsOutput;

/// <summary>
/// Makes the server send full-size TLS records. Kestrel's HTTPS layer writes its output to the
/// SslStream one memory-pool block at a time, and its blocks are 4 KB, so every 4 KB of a response
/// became its own TLS record (seen with <c>openssl s_client -msg</c>: a 117 KB MJPEG frame left as 29
/// records of 4113 bytes). Each record costs a seal, a 22-byte header and tag, and a send; nginx sends
/// 16 KB records. This middleware, placed right after the handshake, gives HTTP an
/// output pipe over the same SslStream whose segments are one full record long (<see cref="TlsRecordBufferPool"/>),
/// so each SslStream write is one record of the largest size TLS allows.
/// It is the same PipeWriter type Kestrel uses there (<see cref="PipeWriter.Create(Stream, StreamPipeWriterOptions)"/>),
/// so flushing, back-pressure and completion behave as before; only the segment size differs.
/// The input side is left as Kestrel made it.
/// </summary>
internal static class TlsRecordSizedOutput
{
    public static void Apply(ListenOptions listen) => listen.Use(next => connection => RunAsync(next, connection));

    private static async Task RunAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        var tls = connection.Features.Get<ISslStreamFeature>()?.SslStream;
        if (tls is null)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        var output = PipeWriter.Create(tls, new StreamPipeWriterOptions(pool: TlsRecordBufferPool.Instance, minimumBufferSize: TlsRecordBufferPool.BlockBytes, leaveOpen: true));
        await TransportOutputReplacement.RunAsync(next, connection, output).ConfigureAwait(false);
    }
}
