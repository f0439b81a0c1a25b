using System.Net;
using SecureCam.Network.Addresses;
using SecureCam.Network.Doctor;

namespace SecureCam.Network.Listening;

/// <summary>
/// Compares what the server is configured to listen on with what the kernel says is listening, and says
/// who can connect: 127.0.0.1/::1 only this machine, 0.0.0.0/[::] the whole LAN.
/// </summary>
public static class ListeningCheck
{
    private const string Area = "listening";

    /// <summary>Process names that are the SecureCam server (the apphost, or `dotnet securecam.dll`).</summary>
    private static readonly string[] ServerProcessNames = ["securecam", "dotnet"];

    public static IReadOnlyList<Finding> Check(IReadOnlyList<ListenAddress> configured, IReadOnlyList<ListeningSocket> sockets)
    {
        var findings = new List<Finding>();
        foreach (var endpoint in configured)
        {
            findings.AddRange(CheckConfiguration(endpoint));
            findings.AddRange(CheckSockets(endpoint, sockets));
        }

        return findings;
    }

    private static IEnumerable<Finding> CheckConfiguration(ListenAddress endpoint)
    {
        if (endpoint.IsLoopback)
        {
            yield return Finding.Warning(Area,
                $"configured to listen on {endpoint.Url}: only this machine can connect",
                $"To let phones on the LAN in, listen on https://0.0.0.0:{endpoint.Port} (set Server:Listen or pass --listen).");
        }
    }

    private static IEnumerable<Finding> CheckSockets(ListenAddress endpoint, IReadOnlyList<ListeningSocket> sockets)
    {
        var onPort = sockets.Where(s => s.Protocol == SocketProtocol.Tcp && s.Port == endpoint.Port).ToList();
        if (onPort.Count == 0)
        {
            yield return Finding.Problem(Area,
                $"nothing is listening on TCP port {endpoint.Port} (configured: {endpoint.Url})",
                "Start the server (securecam serve, or securecam demo). If it is running, read its log: it may have failed to bind " +
                "(port in use, or no permission for ports below 1024).");
            yield break;
        }

        foreach (var socket in onPort)
        {
            var owner = socket.Process is null ? "owner not visible (run as root to see it)" : socket.Process;
            var where = $"{socket.AddressText}:{socket.Port} is listening, {owner}";
            var scope = AddressClassifier.Classify(socket.Address);
            yield return scope switch
            {
                AddressScope.Loopback => Finding.Warning(Area, where + ": only this machine can connect",
                    $"Phones and other computers cannot reach a loopback address. Listen on https://0.0.0.0:{socket.Port} to serve the whole LAN."),
                AddressScope.Unspecified when socket.Address.Equals(IPAddress.IPv6Any) => Finding.Ok(Area,
                    where + ": the whole LAN can connect, over IPv6 and (unless the socket is IPv6-only) IPv4"),
                AddressScope.Unspecified => Finding.Ok(Area, where + ": the whole LAN can connect over IPv4"),
                _ => Finding.Warning(Area, where + $": only connections to {socket.Address} arrive",
                    "If DHCP gives this box another address the server no longer listens where phones look: " +
                    "listen on 0.0.0.0, or reserve the address on the router."),
            };

            if (socket.ProcessName is not null && !ServerProcessNames.Contains(socket.ProcessName, StringComparer.Ordinal))
            {
                yield return Finding.Warning(Area,
                    $"TCP port {socket.Port} is held by {socket.Process}, which is not securecam",
                    $"Stop that program or give securecam another port (--listen https://0.0.0.0:PORT).");
            }
        }
    }
}
