using System.CommandLine;
using System.Globalization;
using SecureCam.Bench.Acme;

namespace SecureCam.Bench.Commands;

/// <summary>
/// `securecam-bench acme`: issuance wall time of SecureCam.Acme against `lego` on the same Pebble,
/// runs interleaved (ours, lego, ours, …) so load on the machine hits both alike; median, min, max.
/// </summary>
internal static class AcmeBenchCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "issuances per client", DefaultValueFactory = _ => 7 };
        var pebble = new Option<string>("--pebble") { Description = "the pebble binary", DefaultValueFactory = _ => "pebble" };
        var challtestsrv = new Option<string>("--challtestsrv") { Description = "the pebble-challtestsrv binary (DNS for the test names)", DefaultValueFactory = _ => "pebble-challtestsrv" };
        var lego = new Option<string>("--lego") { Description = "the lego binary", DefaultValueFactory = _ => "lego" };

        var command = new Command("acme", "ACME issuance wall time: SecureCam.Acme vs lego on the same local Pebble (http-01).")
        {
            runs, pebble, challtestsrv, lego,
        };
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var count = parse.GetValue(runs);
            if (count is < 1 or > 100)
            {
                await Console.Error.WriteLineAsync("securecam-bench acme: --runs must be 1 to 100").ConfigureAwait(false);
                return 2;
            }

            try
            {
                await using var server = await BenchPebble.StartAsync(parse.GetValue(pebble)!, parse.GetValue(challtestsrv)!, cancellationToken).ConfigureAwait(false);
                var ours = new List<double>();
                var theirs = new List<double>();

                // One warm-up each (JIT, Pebble's first-order paths), not counted.
                await AcmeIssuanceTimer.OursAsync(server, "warmup-ours.bench.test", cancellationToken).ConfigureAwait(false);
                await AcmeIssuanceTimer.LegoAsync(server, parse.GetValue(lego)!, "warmup-lego.bench.test", cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < count; i++)
                {
                    ours.Add((await AcmeIssuanceTimer.OursAsync(server, $"ours-{i}.bench.test", cancellationToken).ConfigureAwait(false)).TotalMilliseconds);
                    theirs.Add((await AcmeIssuanceTimer.LegoAsync(server, parse.GetValue(lego)!, $"lego-{i}.bench.test", cancellationToken).ConfigureAwait(false)).TotalMilliseconds);
                }

                Console.WriteLine($"acme issuance, http-01, one name, new account per run, Pebble at {server.DirectoryUri} ({count} runs each)");
                Console.WriteLine("| client | median ms | min ms | max ms |");
                Console.WriteLine("|---|---:|---:|---:|");
                Console.WriteLine(Row("SecureCam.Acme (in-process)", ours));
                Console.WriteLine(Row("lego (process)", theirs));
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or SecureCam.Acme.AcmeException or System.ComponentModel.Win32Exception or IOException)
            {
                await Console.Error.WriteLineAsync("securecam-bench acme: " + e.Message).ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static string Row(string name, List<double> values)
    {
        var sorted = values.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:0} | {sorted[0]:0} | {sorted[^1]:0} |");
    }
}
