using System.CommandLine;
using SecureCam.Collector;

// `securecam-collector`: receives DTLS telemetry from cameras and writes JSON lines.
return await CollectorCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
