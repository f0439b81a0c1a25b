using System.Net;
using System.Net.Sockets;

namespace SecureCam.Server.Http;

/// <summary>The client's address as the audit log writes it (ADDRESS:PORT, IPv6 in brackets), the same at the handshake and at a request.</summary>
internal static class RemoteAddress
{
    public static string Of(ConnectionInfo connection) => Format(connection.RemoteIpAddress, connection.RemotePort);

    public static string Of(EndPoint? endPoint) => endPoint is IPEndPoint ip ? Format(ip.Address, ip.Port) : endPoint?.ToString() ?? "-";

    private static string Format(IPAddress? address, int port)
    {
        if (address is null)
        {
            return "-";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var text = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"{text}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
