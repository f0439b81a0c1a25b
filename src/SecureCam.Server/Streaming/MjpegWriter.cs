using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using SecureCam.Camera;

namespace SecureCam.Server.Streaming;

/// <summary>
/// Writes a multipart/x-mixed-replace MJPEG stream. Each part carries Content-Type, Content-Length,
/// X-Capture-Time (unix ms) and X-Frame-Sequence, and the boundary line is written right AFTER each
/// frame: Chrome shows a part only once it sees the next boundary, so a boundary written before the
/// frame would keep every picture one frame late.
/// <para>
/// Hot path (hundreds of viewers × 30 fps): the part header is formatted straight into the response
/// pipe's own pooled memory, the frame's shared JPEG bytes are written from the one shared buffer (we
/// keep no per-viewer copy or queue), and there is one flush per frame. The response pipe still
/// copies the bytes once into its own buffers before TLS encrypts them, 16 KB at a time, one full
/// TLS record each (TlsOutput/TlsRecordSizedOutput.cs); that copy belongs to Kestrel's pipe and cannot be
/// avoided from here (docs/benchmarks.md, "full-size TLS records"). The encrypted records then go
/// from SslStream's buffer straight to the socket (TlsOutput/DirectSocketOutput.cs).
/// </para>
/// </summary>
internal sealed class MjpegWriter(PipeWriter output)
{
    public const string Boundary = "securecam-frame";
    public const string ContentType = "multipart/x-mixed-replace;boundary=" + Boundary;

    /// <summary>Longest part header: four short lines with two 20-digit numbers.</summary>
    private const int MaxHeaderBytes = 160;

    private static readonly byte[] Opening = Encoding.ASCII.GetBytes("--" + Boundary + "\r\n");
    private static readonly byte[] Closing = Encoding.ASCII.GetBytes("\r\n--" + Boundary + "\r\n");

    /// <summary>Writes the first boundary line (every later one follows its frame).</summary>
    public async ValueTask WriteStartAsync(CancellationToken cancellationToken)
    {
        output.Write(Opening);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one part and flushes; returns the bytes written, or -1 when the client has gone.</summary>
    public async ValueTask<long> WriteFrameAsync(Frame frame, CancellationToken cancellationToken)
    {
        var headerLength = WriteHeader(frame);
        output.Write(frame.Jpeg.Span);
        output.Write(Closing);
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return result.IsCompleted ? -1 : headerLength + frame.Jpeg.Length + Closing.Length;
    }

    private int WriteHeader(Frame frame)
    {
        var span = output.GetSpan(MaxHeaderBytes);
        var ok = System.Text.Unicode.Utf8.TryWrite(
            span,
            System.Globalization.CultureInfo.InvariantCulture,
            $"Content-Type: image/jpeg\r\nContent-Length: {frame.Jpeg.Length}\r\nX-Capture-Time: {frame.CapturedAt.ToUnixTimeMilliseconds()}\r\nX-Frame-Sequence: {frame.Sequence}\r\n\r\n",
            out var written);
        if (!ok)
        {
            throw new InvalidOperationException("MJPEG part header longer than " + MaxHeaderBytes + " bytes");
        }

        output.Advance(written);
        return written;
    }
}
