using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace SecureCam.Bench.Upstream;

/// <summary>
/// A plain-HTTP MJPEG server on loopback, for nginx to proxy in the side-by-side comparison: what
/// people put behind nginx today is exactly such a streamer (mjpg-streamer, µStreamer). It serves
/// `GET /video` in SecureCam's format (Content-Length, X-Frame-Sequence and X-Capture-Time per part,
/// boundary right after each frame) and nothing else. Each client is sent the newest frame when its
/// socket has drained, never a queue.
/// </summary>
internal sealed class MjpegUpstreamServer : IAsyncDisposable
{
    private const string Boundary = "securecamframe";
    private static readonly byte[] ResponseHead = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=" + Boundary + "\r\n"
        + "Cache-Control: no-cache, no-store, must-revalidate\r\nPragma: no-cache\r\nConnection: close\r\n\r\n--" + Boundary + "\r\n");

    private static readonly byte[] PartEnd = Encoding.ASCII.GetBytes("\r\n--" + Boundary + "\r\n");
    private static readonly byte[] NotFound = Encoding.ASCII.GetBytes(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private readonly IUpstreamFrames _frames;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients = [];
    private Task? _acceptLoop;
    private long _clientsServed;

    public MjpegUpstreamServer(IPEndPoint endPoint, IUpstreamFrames frames)
    {
        _frames = frames;
        _listener = new TcpListener(endPoint);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public long ClientsServed => Interlocked.Read(ref _clientsServed);

    public void Start()
    {
        _listener.Start(backlog: 1024);
        _acceptLoop = AcceptAsync(_stop.Token);
    }

    private async Task AcceptAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(stop).ConfigureAwait(false);
                socket.NoDelay = true;
                lock (_clients)
                {
                    _clients.RemoveAll(t => t.IsCompleted);
                    _clients.Add(ServeAsync(socket, stop));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        using var _ = socket;
        var header = ArrayPool<byte>.Shared.Rent(8 * 1024);
        try
        {
            var path = await ReadRequestPathAsync(socket, header, stop).ConfigureAwait(false);
            if (path is not "/video")
            {
                await socket.SendAsync(NotFound, SocketFlags.None, stop).ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref _clientsServed);
            await socket.SendAsync(ResponseHead, SocketFlags.None, stop).ConfigureAwait(false);
            var segments = new ArraySegment<byte>[3];
            long last = 0;
            while (true)
            {
                var frame = await _frames.NextAfterAsync(last, stop).ConfigureAwait(false);
                last = frame.Sequence;
                var headerLength = WritePartHeader(header, frame);

                // One gathered send per frame: part headers, the JPEG (shared, never copied), and the
                // next boundary, which goes right after the frame so a browser shows it at once.
                segments[0] = new ArraySegment<byte>(header, 0, headerLength);
                segments[1] = AsSegment(frame.Jpeg);
                segments[2] = new ArraySegment<byte>(PartEnd);
                await socket.SendAsync(segments, SocketFlags.None).WaitAsync(stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    private static int WritePartHeader(byte[] buffer, UpstreamFrame frame)
    {
        Utf8.TryWrite(
            buffer,
            $"Content-Type: image/jpeg\r\nContent-Length: {frame.Jpeg.Length}\r\nX-Frame-Sequence: {frame.Sequence}\r\nX-Capture-Time: {frame.CaptureTimeUnixMs}\r\n\r\n",
            out var written);
        return written;
    }

    private static ArraySegment<byte> AsSegment(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) ? segment : new ArraySegment<byte>(memory.ToArray());

    /// <summary>Reads the request head (up to the blank line) and returns the path of its request line.</summary>
    private static async Task<string?> ReadRequestPathAsync(Socket socket, byte[] buffer, CancellationToken stop)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var requestLine = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, end).IndexOf("\r\n"u8) is var eol and >= 0 ? eol : end);
                var parts = requestLine.Split(' ');
                return parts.Length >= 2 && parts[0] == "GET" ? parts[1].Split('?')[0] : null;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        Task[] clients;
        lock (_clients)
        {
            clients = [.. _clients];
        }

        await Task.WhenAll(clients).ConfigureAwait(false);
        _stop.Dispose();
    }
}
