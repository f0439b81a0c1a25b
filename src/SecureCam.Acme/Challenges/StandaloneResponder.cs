using System.Net;
using System.Net.Sockets;

namespace SecureCam.Acme;

/// <summary>
/// The accept loop shared by the standalone responders: one dual-stack listener, each connection
/// handled on its own task with a time limit, stopped and awaited on dispose.
/// </summary>
public abstract class StandaloneResponder : IAsyncDisposable
{
    // A validator sends its request at once; a connection that idles longer is not one.
    private static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(15);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _answered;

    protected StandaloneResponder(int port, IPAddress? address)
    {
        _listener = DualStackListener.Start(address, port);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The port listened on (useful when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary>How many challenge requests were answered with a key authorization / certificate.</summary>
    public int Answered => Volatile.Read(ref _answered);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _listener.Dispose();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Serves one connection; returns true when it answered a challenge.</summary>
    protected abstract Task<bool> HandleAsync(NetworkStream stream, CancellationToken cancellationToken);

    private async Task AcceptLoopAsync()
    {
        var running = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            running.RemoveAll(t => t.IsCompleted);
            running.Add(ServeAsync(client));
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            timeout.CancelAfter(ConnectionTimeout);
            try
            {
                if (await HandleAsync(client.GetStream(), timeout.Token).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _answered);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException
                or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // A probe, a scanner or a validator that hung up: nothing to do for the next one.
            }
        }
    }
}
