using System.Text.Json;
using SecureCam.TestSupport;

namespace SecureCam.Network.Tests;

/// <summary>
/// The doctor run inside network namespaces built like real homes. There is no nftables/iptables on this
/// machine, so the "routers" route instead of translating: what is real is what the doctor reads (the
/// interfaces and the kernel's socket tables of the namespace it runs in), which is all it judges.
/// </summary>
public sealed class NamespaceTopologyTests
{
    [SkippableFact]
    public async Task Box_with_a_carrier_grade_nat_address_is_judged_cgnat()
    {
        await using var lab = await NetworkNamespaceLab.CreateAsync();
        using var work = new TempDirectory();
        // isp (100.64.7.1) ── veth ── home (100.64.7.2, a box on a mobile/LTE line, plus a global IPv6 address)
        var isp = await lab.AddNamespaceAsync("isp");
        var home = await lab.AddNamespaceAsync("home");
        await lab.LinkAsync(home, "wan0", isp, "cust0");
        await lab.IpAsync("-n", isp, "addr", "add", "100.64.7.1/24", "dev", "cust0");
        await lab.IpAsync("-n", home, "addr", "add", "100.64.7.2/24", "dev", "wan0");
        await lab.IpAsync("-n", home, "route", "add", "default", "via", "100.64.7.1");
        await lab.IpAsync("-n", home, "addr", "add", "2a0e:97c0:7::2/64", "dev", "wan0", "nodad");

        var result = await lab.ExecAsync(home, work.Path, "dotnet", DoctorCli.ServerDll, "doctor", "--json", "--ntp", "100.64.7.1:123");

        using var json = DoctorCli.ParseJson(result);
        var root = json.RootElement;
        Assert.Contains(root.GetProperty("addresses").EnumerateArray(), a =>
            a.GetProperty("interface").GetString() == "wan0" && a.GetProperty("address").GetString() == "100.64.7.2"
            && a.GetProperty("scope").GetString() == "cgnat");
        Assert.DoesNotContain(root.GetProperty("addresses").EnumerateArray(), a => a.GetProperty("interface").GetString() == "eth0");
        Assert.Equal("cgnat", root.GetProperty("nat").GetProperty("verdict").GetString());
        Assert.Contains("100.64.7.2", root.GetProperty("nat").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("2a0e:97c0:7::2", root.GetProperty("nat").GetProperty("globalIpv6").GetString());
        Assert.Equal("impossible", root.GetProperty("portForwarding").GetString());
        Assert.False(root.GetProperty("acme").GetProperty("ready").GetBoolean());
        // A new namespace has its own, empty socket tables: nothing listens, and the doctor says so.
        Assert.DoesNotContain(root.GetProperty("listening").EnumerateArray(), l => l.GetProperty("protocol").GetString() == "tcp");
        Assert.Contains(Texts(root), t => t == "nothing is listening on TCP port 8443 (configured: https://0.0.0.0:8443)");
        // Nothing answers NTP at the "ISP": unknown, not a hang.
        Assert.Equal(JsonValueKind.Null, root.GetProperty("clock").GetProperty("offsetSeconds").ValueKind);
        Assert.Equal(1, result.ExitCode);
    }

    [SkippableFact]
    public async Task Home_behind_two_routers_with_a_private_wan_is_judged_double_nat()
    {
        await using var lab = await NetworkNamespaceLab.CreateAsync();
        using var work = new TempDirectory();
        // isp modem (10.77.0.1) ── router (WAN 10.77.0.2, LAN 192.168.77.1) ── home box (192.168.77.10)
        var modem = await lab.AddNamespaceAsync("modem");
        var router = await lab.AddNamespaceAsync("router");
        var home = await lab.AddNamespaceAsync("home");
        await lab.LinkAsync(router, "wan0", modem, "lan0");
        await lab.LinkAsync(home, "eth0", router, "lan0");
        await lab.IpAsync("-n", modem, "addr", "add", "10.77.0.1/24", "dev", "lan0");
        await lab.IpAsync("-n", router, "addr", "add", "10.77.0.2/24", "dev", "wan0");
        await lab.IpAsync("-n", router, "addr", "add", "192.168.77.1/24", "dev", "lan0");
        await lab.IpAsync("-n", router, "route", "add", "default", "via", "10.77.0.1");
        await lab.IpAsync("-n", home, "addr", "add", "192.168.77.10/24", "dev", "eth0");
        await lab.IpAsync("-n", home, "route", "add", "default", "via", "192.168.77.1");

        var result = await lab.ExecAsync(home, work.Path, "dotnet", DoctorCli.ServerDll, "doctor", "--json", "--ntp", "off",
            "--wan-ip", "10.77.0.2", "--public-ip", "203.0.113.7");

        using var json = DoctorCli.ParseJson(result);
        var root = json.RootElement;
        var addresses = root.GetProperty("addresses").EnumerateArray()
            .Where(a => a.GetProperty("family").GetString() == "ipv4").Select(a => a.GetProperty("address").GetString()).Order().ToList();
        Assert.Equal(["127.0.0.1", "192.168.77.10"], addresses);
        Assert.Equal("double-nat", root.GetProperty("nat").GetProperty("verdict").GetString());
        Assert.Equal("impossible", root.GetProperty("portForwarding").GetString());
        Assert.Equal("bridge-modem", root.GetProperty("recommendations")[0].GetProperty("id").GetString());
        Assert.Equal(1, result.ExitCode); // nothing listens in the namespace
    }

    private static IEnumerable<string?> Texts(JsonElement root) =>
        root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("text").GetString());
}
