using System.CommandLine;
using System.Security.Cryptography;
using SecureCam.Pki;

namespace SecureCam.PkiTool;

/// <summary>
/// Runs a command body and turns failures into the tool's error convention: one line on stderr and
/// exit code 1; --verbose adds the exception. Nothing else prints a stack trace.
/// </summary>
internal static class CommandAction
{
    public const int Failure = 1;

    public static void Set(Command command, Func<ToolContext, ParseResult, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (ParseResult parseResult, CancellationToken cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                return await body(new ToolContext(parseResult), parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is PkiException or IOException or UnauthorizedAccessException or CryptographicException)
            {
                await error.WriteLineAsync($"securecam-pki: {ErrorText.FirstLine(e.Message)}").ConfigureAwait(false);
                if (parseResult.GetValue(GlobalOptions.Verbose))
                {
                    await error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
                }

                return Failure;
            }
        });
    }
}
