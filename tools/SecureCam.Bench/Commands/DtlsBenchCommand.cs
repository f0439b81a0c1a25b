using System.CommandLine;
using SecureCam.Bench.Dtls;

namespace SecureCam.Bench.Commands;

/// <summary>`securecam-bench dtls`: warm DTLS handshakes and records per second, ours against openssl.</summary>
internal static class DtlsBenchCommand
{
    public static Command Create()
    {
        var handshakes = new Option<int>("--handshakes") { Description = "Warm handshakes per row (after 3 warm-up)", DefaultValueFactory = _ => 50 };
        var records = new Option<int>("--records") { Description = "Records per throughput row", DefaultValueFactory = _ => 20000 };
        var recordSize = new Option<int>("--record-size") { Description = "Bytes per record (JSON, padded)", DefaultValueFactory = _ => 200 };
        var command = new Command("dtls", "DTLS 1.2 telemetry: warm handshake time and records/s, our client and collector against openssl s_server/s_client.")
        {
            handshakes, records, recordSize,
        };
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var n = parse.GetValue(handshakes);
            var m = parse.GetValue(records);
            var size = parse.GetValue(recordSize);
            if (n is < 1 or > 10000 || m is < 1 or > 10_000_000 || size is < 100 or > 1200)
            {
                await Console.Error.WriteLineAsync("securecam-bench dtls: --handshakes 1..10000, --records 1..10000000, --record-size 100..1200").ConfigureAwait(false);
                return 2;
            }

            using var bench = new DtlsBenchmark(n, m, size, Console.Out);
            await bench.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
