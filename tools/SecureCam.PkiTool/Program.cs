using SecureCam.PkiTool;

var parsed = PkiCommandLine.Create().Parse(args);
if (parsed.Errors.Count > 0)
{
    // One line, as for every other error: System.CommandLine's default prints the whole help after it.
    await Console.Error.WriteLineAsync($"securecam-pki: {parsed.Errors[0].Message} (see --help)").ConfigureAwait(false);
    return CommandAction.Failure;
}

return await parsed.InvokeAsync().ConfigureAwait(false);
