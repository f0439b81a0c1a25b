using System.CommandLine;
using SecureCam.Bench.Commands;

// `securecam-bench WORKLOAD`: every workload lives in its own file under Commands/.
var root = new RootCommand("securecam-bench: load generator and side-by-side comparisons for SecureCam.")
{
    CameraBenchCommand.Create(),
    HandshakesBenchCommand.Create(),
    ViewersBenchCommand.Create(),
    DtlsBenchCommand.Create(),
    AcmeBenchCommand.Create(),
    MjpegUpstreamBenchCommand.Create(),
    StartupBenchCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
