using System.CommandLine;
using SecureCam.Bench.Output;
using SecureCam.Bench.Workloads;

namespace SecureCam.Bench.Commands;

/// <summary>
/// `securecam-bench handshakes`: new mutual-TLS connections, each a full handshake (no resumption, no
/// reuse) plus one `GET /snapshot` read to the end, at a given concurrency for a given time.
/// </summary>
internal static class HandshakesBenchCommand
{
    public static Command Create()
    {
        var client = new ClientOptions();
        var concurrency = new Option<int>("--concurrency") { Description = "connections in flight at once", DefaultValueFactory = _ => 8 };
        var seconds = new Option<double>("--seconds") { Description = "how long to run", DefaultValueFactory = _ => 10 };
        var maxConnections = new Option<long>("--max-connections") { Description = "stop after this many connections even if time is left", DefaultValueFactory = _ => 1_000_000 };
        var timeout = new Option<double>("--timeout") { Description = "seconds one connection may take before it counts as an error", DefaultValueFactory = _ => 10 };

        var command = new Command("handshakes", "New mutual-TLS connections per second, each a full handshake plus GET /snapshot.");
        client.AddTo(command);
        command.Options.Add(concurrency);
        command.Options.Add(seconds);
        command.Options.Add(maxConnections);
        command.Options.Add(timeout);
        command.SetAction((parse, ct) => CommandGuard.RunAsync("handshakes", parse.GetValue(client.Verbose), async () =>
        {
            var workload = new HandshakeWorkload(client.ReadConnectors(parse))
            {
                Concurrency = PositiveOption.Require(parse.GetValue(concurrency), "--concurrency", 10_000),
                Duration = TimeSpan.FromSeconds(PositiveOption.Require(parse.GetValue(seconds), "--seconds", 3600)),
                MaxConnections = Math.Max(1, parse.GetValue(maxConnections)),
                ConnectionTimeout = TimeSpan.FromSeconds(PositiveOption.Require(parse.GetValue(timeout), "--timeout", 600)),
            };
            await using var samplers = client.StartSamplers(parse);
            var result = await workload.RunAsync(samplers, ct).ConfigureAwait(false);
            Print(result);
            await ResultWriter.WriteAsync(result, parse.GetValue(client.Json), ct).ConfigureAwait(false);
            return result.Connections > 0 ? 0 : 1;
        }));
        return command;
    }

    private static void Print(HandshakeResult r)
    {
        Console.WriteLine($"handshakes {r.Url}: concurrency {r.Concurrency}, {Format.N(r.Seconds)} s");
        Console.WriteLine($"  connections/s {Format.N(r.ConnectionsPerSecond)} ({r.Connections} ok, {r.Errors} errors), snapshot {r.SnapshotBytes} bytes");
        Console.WriteLine($"  handshake  {Format.Ms(r.HandshakeMs)}");
        Console.WriteLine($"  total      {Format.Ms(r.TotalMs)}");
        Console.WriteLine($"  client CPU {Format.N(r.ClientCpuPercent)} % of one core");
        Console.WriteLine("  " + Format.Server(r.Server, r.ServerProcesses, "connection"));
        Format.Errors(r.TopErrors, Console.Out);
    }
}
