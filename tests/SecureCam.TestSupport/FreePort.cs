using System.Net;
using System.Net.Sockets;

namespace SecureCam.TestSupport;

/// <summary>Free loopback ports for servers started by tests.</summary>
public static class FreePort
{
    /// <summary>A TCP port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Tcp(IPAddress? address = null)
    {
        using var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A UDP port that was free on 127.0.0.1 a moment ago.</summary>
    public static int Udp(IPAddress? address = null)
    {
        using var socket = new Socket((address ?? IPAddress.Loopback).AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
