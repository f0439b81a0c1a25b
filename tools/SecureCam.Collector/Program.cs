using System.CommandLine;
using SecureCam.Collector;

// `securecam-collector`: receives DTLS telemetry from cameras and writes JSON lines.
// Ctrl+C is the normal way to stop a collector, so the command handles SIGINT/SIGTERM itself and exits 0 after a
// clean shutdown, instead of System.CommandLine's 130.
return await CollectorCommand.Create().Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null })
    .ConfigureAwait(false);
