// Placeholder entry point: the command line is built by the issue that owns this tool.
await Console.Error.WriteLineAsync("not built yet").ConfigureAwait(false);
return 2;
