using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SecureCam.Acme.Tests.Support;

/// <summary>
/// A plain-HTTP ACME server whose every answer the test scripts, for what Pebble 2.4 cannot show (ARI,
/// Retry-After, exact nonce handling). Raw TcpListener: the test project has no ASP.NET, and HttpListener
/// is not worth its prefix rules here. One request per connection ("Connection: close"). GET /dir is
/// answered by the server itself (<see cref="DirectoryJson"/>); everything else by the script.
/// </summary>
internal sealed class ScriptedAcmeServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ScriptedRequest, ScriptedResponse> _script;
    private readonly List<ScriptedRequest> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly string? _profilesJson;
    private readonly bool _renewalInfo;
    private volatile bool _down;

    /// <param name="script">Answers every request but GET /dir.</param>
    /// <param name="profilesJson">The directory's meta.profiles object (draft-ietf-acme-profiles), e.g. {"shortlived":"…"}; null: none.</param>
    /// <param name="renewalInfo">Whether the directory offers renewalInfo (RFC 9773).</param>
    public ScriptedAcmeServer(Func<ScriptedRequest, ScriptedResponse> script, string? profilesJson = null, bool renewalInfo = true)
    {
        _script = script;
        _profilesJson = profilesJson;
        _renewalInfo = renewalInfo;
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; }

    public Uri DirectoryUri => new(BaseUri, "/dir");

    public IReadOnlyList<ScriptedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>
    /// While true the server is an outage: every connection is accepted and closed before a byte is
    /// answered, so the client sees the CA as unreachable.
    /// </summary>
    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>A directory in the shape RFC 8555, RFC 9773 (renewalInfo, unless left out) and draft-ietf-acme-profiles give it.</summary>
    public string DirectoryJson()
    {
        var renewalInfo = _renewalInfo ? $",\"renewalInfo\":\"{BaseUri}renewalInfo\"" : "";
        var profiles = _profilesJson is null ? "" : $",\"profiles\":{_profilesJson}";
        return $$$"""
            {"newNonce":"{{{BaseUri}}}nonce","newAccount":"{{{BaseUri}}}account","newOrder":"{{{BaseUri}}}order",
             "revokeCert":"{{{BaseUri}}}revoke","keyChange":"{{{BaseUri}}}key-change"{{{renewalInfo}}},
             "meta":{"termsOfService":"{{{BaseUri}}}terms"{{{profiles}}}}}
            """;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                if (_down)
                {
                    continue;
                }

                try
                {
                    await ServeAsync(client.GetStream());
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private async Task ServeAsync(NetworkStream stream)
    {
        var request = await ReadRequestAsync(stream);
        lock (_requests)
        {
            _requests.Add(request);
        }

        // The directory names the server's own URLs, which the script cannot know when it is written.
        var response = request is { Method: "GET", Path: "/dir" } ? new ScriptedResponse(200, DirectoryJson()) : _script(request);
        var body = Encoding.UTF8.GetBytes(response.Body);
        var head = new StringBuilder($"HTTP/1.1 {response.Status} Scripted\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (request.Method != "HEAD")
        {
            await stream.WriteAsync(body);
        }
    }

    private static async Task<ScriptedRequest> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                throw new IOException("client closed before the request head ended");
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString([.. buffer.Take(headEnd)]);
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var length = lines.Skip(1)
            .Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        while (buffer.Count < headEnd + 4 + length)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                break;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var body = Encoding.UTF8.GetString([.. buffer.Skip(headEnd + 4).Take(length)]);
        return new ScriptedRequest(requestLine[0], requestLine[1], body);
    }

    private static int IndexOfHeadEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
