using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace SecureCam.Network.Addresses;

/// <summary>Reads every unicast address of every interface from the operating system.</summary>
public static class InterfaceAddressReader
{
    public static IReadOnlyList<InterfaceAddress> Read()
    {
        var result = new List<InterfaceAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            var up = nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown;
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
                {
                    continue;
                }

                // The scope id (%eth0) is noise in a report; the interface column already says it.
                if (address.IsIPv6LinkLocal)
                {
                    address = new System.Net.IPAddress(address.GetAddressBytes());
                }

                result.Add(new InterfaceAddress(nic.Name, address, up));
            }
        }

        return result;
    }
}
