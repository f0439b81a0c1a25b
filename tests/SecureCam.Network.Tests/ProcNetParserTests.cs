using System.Net;
using SecureCam.Network.Listening;

namespace SecureCam.Network.Tests;

public sealed class ProcNetParserTests
{
    // Lines in the kernel's own format (little-endian machine), as /proc/net/tcp and tcp6 print them.
    private const string Tcp4 = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
           1: 00000000:20FB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12346 1 0000000000000000 100 0 0 10 0
           2: 1401A8C0:20FB 0B01A8C0:D431 01 00000000:00000000 00:00000000 00000000     0        0 12347 1 0000000000000000 20 4 30 10 -1
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000001000000:20FB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0000000000000000 100 0 0 10 0
           1: 00000000000000000000000000000000:20FB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 223 1 0000000000000000 100 0 0 10 0
        """;

    private const string Udp4 = """
           sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
          100: 00000000:007B 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 333 2 0000000000000000 0
          101: 0100007F:C350 0100007F:007B 01 00000000:00000000 00:00000000 00000000     0        0 334 2 0000000000000000 0
        """;

    [Fact]
    public void Reads_tcp_listeners_and_skips_established_connections()
    {
        var sockets = ProcNetParser.Parse(Tcp4, SocketProtocol.Tcp);

        Assert.Equal(2, sockets.Count);
        Assert.Equal((IPAddress.Loopback, 8080, 12345L), (sockets[0].Address, sockets[0].Port, sockets[0].Inode));
        Assert.Equal((IPAddress.Any, 8443), (sockets[1].Address, sockets[1].Port));
    }

    [Fact]
    public void Reads_ipv6_loopback_and_any()
    {
        var sockets = ProcNetParser.Parse(Tcp6, SocketProtocol.Tcp);

        Assert.Equal(IPAddress.IPv6Loopback, sockets[0].Address);
        Assert.Equal("[::1]", sockets[0].AddressText);
        Assert.Equal(IPAddress.IPv6Any, sockets[1].Address);
        Assert.All(sockets, s => Assert.Equal(8443, s.Port));
    }

    [Fact]
    public void Reads_unconnected_udp_sockets_only()
    {
        var socket = Assert.Single(ProcNetParser.Parse(Udp4, SocketProtocol.Udp));
        Assert.Equal((IPAddress.Any, 123), (socket.Address, socket.Port));
    }

    [Theory]
    [InlineData("1401A8C0:20FB", "192.168.1.20", 8443)]
    [InlineData("0000000000000000FFFF00000100007F:0050", "::ffff:127.0.0.1", 80)]
    [InlineData("B80D0120000000000000000001000000:01BB", "2001:db8::1", 443)]
    public void Decodes_kernel_addresses(string text, string address, int port)
    {
        Assert.Equal((IPAddress.Parse(address), port), ProcNetParser.ParseEndpoint(text));
    }

    [Fact]
    public void Lines_that_do_not_read_are_skipped_never_thrown()
    {
        // What AFL++ found (tools/fuzz/crashes/proc) and what it suggests: bad hex, short addresses, ports
        // out of range, inodes that are not numbers. Each bad line is skipped; the good one still counts.
        const string Header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        const string Good = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0\n";
        string[] bad =
        [
            "   1: 0000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n",
            "   2: $100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n",
            "   3: 0100007F:'4AA 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n",
            "   4: 0100007F:FFFFFFFF 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n",
            "   5: 0100007F 7 0A 00000000:00000000 00:00000000 00000000  1000 0 1 1\n",
            "   6: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 x1 1\n",
        ];
        var sockets = ProcNetParser.Parse(Header + string.Concat(bad) + Good, SocketProtocol.Tcp);
        var socket = Assert.Single(sockets);
        Assert.Equal(4242, socket.Inode);

        var kept = Path.Combine(AppContext.BaseDirectory, "fuzz-crashes", "proc");
        foreach (var file in Directory.Exists(kept) ? Directory.GetFiles(kept) : [])
        {
            var text = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file));
            _ = ProcNetParser.Parse(text, SocketProtocol.Tcp);
            _ = ProcNetParser.Parse(text, SocketProtocol.Udp);
        }
    }
}
