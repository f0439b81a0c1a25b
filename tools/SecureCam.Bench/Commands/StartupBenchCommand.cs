using System.CommandLine;
using SecureCam.Bench.Output;
using SecureCam.Bench.Workloads;

namespace SecureCam.Bench.Commands;

/// <summary>
/// `securecam-bench startup -- COMMAND…`: process start to first frame served (polling /snapshot over
/// mutual TLS), and the server's RSS once idle; the server is started and stopped once per run.
/// </summary>
internal static class StartupBenchCommand
{
    public static Command Create()
    {
        var client = new ClientOptions();
        var runs = new Option<int>("--runs") { Description = "how many times to start the server", DefaultValueFactory = _ => 3 };
        var timeout = new Option<double>("--timeout") { Description = "seconds to wait for the first frame", DefaultValueFactory = _ => 30 };
        var settle = new Option<double>("--settle") { Description = "seconds idle after the first frame before RSS is read", DefaultValueFactory = _ => 5 };
        var serverCommand = new Argument<string[]>("command") { Description = "the server command line, after --", Arity = ArgumentArity.OneOrMore };

        var command = new Command("startup", "Process start to first frame served, and idle RSS, over several starts of the server.");
        client.AddTo(command);
        command.Options.Add(runs);
        command.Options.Add(timeout);
        command.Options.Add(settle);
        command.Arguments.Add(serverCommand);
        command.SetAction((parse, ct) => CommandGuard.RunAsync("startup", parse.GetValue(client.Verbose), async () =>
        {
            if (parse.GetValue(client.ServerPid) is { Length: > 0 })
            {
                throw new BenchInputException("--server-pid: startup starts the server itself");
            }

            var workload = new StartupWorkload(client.ReadConnectors(parse)[0])
            {
                Command = parse.GetValue(serverCommand)!,
                Runs = PositiveOption.Require(parse.GetValue(runs), "--runs", 100),
                Timeout = TimeSpan.FromSeconds(PositiveOption.Require(parse.GetValue(timeout), "--timeout", 600)),
                Settle = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(settle))),
            };
            Console.WriteLine($"startup {parse.GetValue(client.Url)}: {string.Join(' ', workload.Command)}");
            var result = await workload.RunAsync(Console.Out, ct).ConfigureAwait(false);
            Console.WriteLine($"  first frame {Format.Ms(result.FirstFrameMs)}");
            Console.WriteLine($"  idle RSS    median {Format.N(result.IdleRssMb.P50)} MB, max {Format.N(result.IdleRssMb.Max)} MB (after {Format.N(result.SettleSeconds)} s idle)");
            await ResultWriter.WriteAsync(result, parse.GetValue(client.Json), ct).ConfigureAwait(false);
            return result.Failures.Count == 0 ? 0 : 1;
        }));
        return command;
    }
}
