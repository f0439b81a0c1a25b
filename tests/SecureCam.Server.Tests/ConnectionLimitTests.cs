using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SecureCam.Server.Http;
using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// One identity cannot take the box: real connections to Kestrel on loopback, from several source
/// addresses (all of 127.0.0.0/8 is loopback on Linux), against small limits so every one is reached.
/// </summary>
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Server:MaxConnections"] = "24",
        ["Server:MaxPendingHandshakes"] = "6",
        ["Server:AdminReserve"] = "4",
        ["Server:MaxConnectionsPerCertificate"] = "4",
        ["Server:MaxConnectionsPerAddress"] = "5",
        ["Server:HttpMaxConnections"] = "3",
        ["Server:HandshakeTimeoutSeconds"] = "60",
    };

    [Fact]
    public async Task One_certificate_holds_at_most_its_share_even_when_connecting_all_at_once()
    {
        await using var server = await StartAsync();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Connection.OpenAsync(server, server.Viewer, Source(10 + (i % 3)))));
        try
        {
            Assert.Equal(4, attempts.Count(a => a.Admitted));
            await server.Fixture.WaitForAuditAsync(l => l.Contains("more than 4 connections with one certificate", StringComparison.Ordinal));

            // The same certificate's slot comes back when one of its connections closes.
            var admitted = attempts.First(a => a.Admitted);
            await admitted.DisposeAsync();
            await Eventually.TrueAsync(async () =>
            {
                await using var again = await Connection.OpenAsync(server, server.Viewer, Source(13));
                return again.Admitted;
            }, Deadline);
        }
        finally
        {
            await DisposeAllAsync(attempts);
        }
    }

    [Fact]
    public async Task One_address_holds_at_most_its_share_and_another_address_still_gets_in()
    {
        await using var server = await StartAsync();
        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                silent.Add(await RawAsync(server.Fixture.Port, Source(20)));
            }

            // A connect returns once the kernel has the connection, before Kestrel has taken it: wait until all five count.
            var limiter = server.Fixture.App.Services.GetRequiredService<ConnectionLimiter>();
            await Eventually.TrueAsync(() => limiter.ConnectionsFrom(Source(20)) == 5, Deadline, () => $"{limiter.ConnectionsFrom(Source(20))} of 5 silent connections counted");

            await using var refused = await Connection.OpenAsync(server, server.Viewer, Source(20));
            Assert.False(refused.Admitted);
            await server.Fixture.WaitForAuditAsync(l => l.Contains("more than 5 connections from one address", StringComparison.Ordinal));

            await using var other = await Connection.OpenAsync(server, server.Viewer, Source(21));
            Assert.True(other.Admitted, other.Failure);
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Silent_connections_from_many_addresses_cannot_hold_more_than_the_handshake_budget()
    {
        await using var server = await StartAsync();
        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                silent.Add(await RawAsync(server.Fixture.Port, Source(30 + (i / 2))));
            }

            // As above: all six must be in the limiter's count before the next one is judged.
            var limiter = server.Fixture.App.Services.GetRequiredService<ConnectionLimiter>();
            await Eventually.TrueAsync(() => limiter.PendingHandshakes == 6, Deadline, () => $"{limiter.PendingHandshakes} of 6 silent handshakes counted");

            await using var refused = await Connection.OpenAsync(server, server.Viewer, Source(40));
            Assert.False(refused.Admitted);
            await server.Fixture.WaitForAuditAsync(l => l.Contains("more than 6 handshakes under way", StringComparison.Ordinal));

            // Silent ones leave: room again.
            silent.ForEach(s => s.Dispose());
            await Eventually.TrueAsync(async () =>
            {
                await using var again = await Connection.OpenAsync(server, server.Viewer, Source(41));
                return again.Admitted;
            }, Deadline);
        }
        finally
        {
            silent.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Viewers_holding_every_connection_they_may_still_leave_room_for_an_admin()
    {
        await using var server = await StartAsync();
        var viewers = Enumerable.Range(0, 4).Select(i => server.Fixture.Pki.IssueClient($"crowd-{i}")).ToList();
        var held = new List<Connection>();
        try
        {
            // 4 certificates x 4 connections = 16 tries against 24 - 6 - 4 = 14 for non-admins.
            for (var v = 0; v < viewers.Count; v++)
            {
                for (var c = 0; c < 4; c++)
                {
                    held.Add(await Connection.OpenAsync(server, viewers[v], Source(50 + v)));
                }
            }

            Assert.Equal(14, held.Count(c => c.Admitted));
            await server.Fixture.WaitForAuditAsync(l => l.Contains("kept for admins", StringComparison.Ordinal));

            for (var i = 0; i < 4; i++)
            {
                var admin = await Connection.OpenAsync(server, server.Fixture.Admin, Source(60 + i));
                held.Add(admin);
                Assert.True(admin.Admitted, admin.Failure);
            }
        }
        finally
        {
            await DisposeAllAsync(held);
        }
    }

    [Fact]
    public async Task The_plain_listener_has_its_own_small_budget()
    {
        await using var server = await StartAsync();
        var plain = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                plain.Add(await RawAsync(server.Fixture.HttpPort, Source(70 + i)));
            }

            var limiter = server.Fixture.App.Services.GetRequiredService<ConnectionLimiter>();
            await Eventually.TrueAsync(() => limiter.PlainConnections == 3, Deadline, () => $"{limiter.PlainConnections} of 3 plain connections counted");

            Assert.True(await ClosedAtOnceAsync(server.Fixture.HttpPort, Source(74)), "a fourth plain-HTTP connection should be closed at once");

            // HTTPS is untouched by the plain listener's crowd.
            await using var tls = await Connection.OpenAsync(server, server.Viewer, Source(75));
            Assert.True(tls.Admitted, tls.Failure);
        }
        finally
        {
            plain.ForEach(s => s.Dispose());
        }
    }

    private static IPAddress Source(int last) => new(new byte[] { 127, 0, 0, (byte)last });

    private static async Task<LimitedServer> StartAsync()
    {
        var fixture = new ServerFixture(_ => Limits);
        await fixture.InitializeAsync();
        return new LimitedServer(fixture);
    }

    private static async Task<Socket> RawAsync(int port, IPAddress source)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        return socket;
    }

    /// <summary>A new connection the server closes at once: reset while connecting, or closed before it says anything.</summary>
    private static async Task<bool> ClosedAtOnceAsync(int port, IPAddress source)
    {
        Socket socket;
        try
        {
            socket = await RawAsync(port, source);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }

        using (socket)
        {
            return await ClosedByServerAsync(socket);
        }
    }

    private static async Task<bool> ClosedByServerAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None, timeout.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<Connection> connections)
    {
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }

    private sealed class LimitedServer(ServerFixture fixture) : IAsyncDisposable
    {
        public ServerFixture Fixture => fixture;

        public ClientFiles Viewer => fixture.Viewer;

        public async ValueTask DisposeAsync() => await fixture.DisposeAsync();
    }

    /// <summary>A mutual-TLS connection that proved it was admitted by getting an answer to GET /healthz, kept open.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private readonly Socket _socket;
        private readonly SslStream? _tls;

        private Connection(Socket socket, SslStream? tls, bool admitted, string failure)
        {
            _socket = socket;
            _tls = tls;
            Admitted = admitted;
            Failure = failure;
        }

        public bool Admitted { get; }

        public string Failure { get; }

        public static async Task<Connection> OpenAsync(LimitedServer server, ClientFiles client, IPAddress source)
        {
            Socket socket;
            try
            {
                socket = await RawAsync(server.Fixture.Port, source);
            }
            catch (SocketException e)
            {
                // Refused so early that the connect itself saw the reset.
                return new Connection(new Socket(SocketType.Stream, ProtocolType.Tcp), null, false, e.Message);
            }

            var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            using var timeout = new CancellationTokenSource(Deadline);
            try
            {
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = "localhost",
                        ClientCertificates = [client.Certificate],
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                    },
                    timeout.Token);
                await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"), timeout.Token);
                var buffer = new byte[1024];
                var read = await tls.ReadAsync(buffer, timeout.Token);
                var answer = Encoding.ASCII.GetString(buffer, 0, read);
                var admitted = answer.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
                return new Connection(socket, tls, admitted, admitted ? "" : $"answer: '{answer}'");
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
            {
                return new Connection(socket, tls, false, e.Message);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (_tls is not null)
                {
                    await _tls.DisposeAsync();
                }
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // The server already closed a refused connection.
            }

            _socket.Dispose();
        }
    }
}
