namespace SecureCam.Network.Listening;

public enum SocketProtocol
{
    Tcp,
    Udp,
}
