using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SecureCam.TestSupport;

/// <summary>
/// Free loopback ports for servers started by tests. The kernel may hand a port it just gave back out again, and
/// tests run in parallel: a port is never handed out twice in one test process, so two servers started at
/// once (a Pebble's directory and another test's tls-alpn-01 responder, say) cannot be given the same one.
/// </summary>
public static class FreePort
{
    private const int Attempts = 1000;
    private static readonly ConcurrentDictionary<int, byte> GivenTcp = new();
    private static readonly ConcurrentDictionary<int, byte> GivenUdp = new();

    /// <summary>A TCP port that was free on 127.0.0.1 a moment ago and that no other caller in this process was given.</summary>
    public static int Tcp(IPAddress? address = null) => Unique(GivenTcp, () =>
    {
        using var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    });

    /// <summary>A UDP port that was free on 127.0.0.1 a moment ago and that no other caller in this process was given.</summary>
    public static int Udp(IPAddress? address = null) => Unique(GivenUdp, () =>
    {
        using var socket = new Socket((address ?? IPAddress.Loopback).AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    });

    private static int Unique(ConcurrentDictionary<int, byte> given, Func<int> next)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var port = next();
            if (given.TryAdd(port, 0))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no loopback port that was not already handed out in {Attempts} attempts");
    }
}
