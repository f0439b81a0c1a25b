using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// A minimal Chrome DevTools Protocol client over one page's WebSocket: send a command, wait for the
/// reply with the same id (events in between are skipped). Enough to navigate, evaluate script in the
/// page and take a screenshot; a full client library cannot be had here and is not needed.
/// </summary>
internal sealed class DevToolsSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private DevToolsSession()
    {
    }

    public static async Task<DevToolsSession> ConnectAsync(Uri pageWebSocket, CancellationToken cancellationToken)
    {
        var session = new DevToolsSession();
        session._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await session._socket.ConnectAsync(pageWebSocket, cancellationToken).ConfigureAwait(false);
        return session;
    }

    /// <summary>Sends a command and returns its "result" object; a protocol error becomes an exception.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var reply = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (reply["id"]?.GetValue<int>() != id)
            {
                continue;
            }

            if (reply["error"] is { } error)
            {
                throw new InvalidOperationException($"DevTools {method} failed: {error.ToJsonString()}");
            }

            return reply["result"]?.AsObject() ?? [];
        }
    }

    /// <summary>Evaluates a JavaScript expression in the page (awaiting a promise) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync(
            "Runtime.evaluate",
            new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true },
            cancellationToken).ConfigureAwait(false);
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException("page script threw: " + exception.ToJsonString());
        }

        return result["result"]?["value"]?.DeepClone();
    }

    private async Task<JsonObject> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("DevTools closed the connection");
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray())?.AsObject() ?? throw new JsonException("empty DevTools message");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
    }
}
