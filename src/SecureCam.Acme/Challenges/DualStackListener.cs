using System.Net;
using System.Net.Sockets;

namespace SecureCam.Acme;

/// <summary>
/// A TCP listener on [::] with IPv4 mapped in, so one socket answers both families: validators try
/// IPv6 first when a name has an AAAA record (Pebble does for "localhost"). Falls back to 0.0.0.0
/// on a host without IPv6.
/// </summary>
internal static class DualStackListener
{
    public static TcpListener Start(IPAddress? address, int port)
    {
        if (address is not null)
        {
            var specific = new TcpListener(address, port);
            specific.Start();
            return specific;
        }

        if (Socket.OSSupportsIPv6)
        {
            var listener = new TcpListener(IPAddress.IPv6Any, port);
            try
            {
                listener.Server.DualMode = true;
                listener.Start();
                return listener;
            }
            catch (SocketException) when (IsIpv6Unavailable())
            {
                listener.Dispose();
            }
        }

        var ipv4 = new TcpListener(IPAddress.Any, port);
        ipv4.Start();
        return ipv4;
    }

    private static bool IsIpv6Unavailable()
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
