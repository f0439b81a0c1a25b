using System.Diagnostics;
using System.Text;
using SecureCam.TestSupport;

namespace SecureCam.PkiTool.Tests;

/// <summary>The passphrase prompt on a real terminal (a pseudo-terminal made by util-linux `script`).</summary>
public sealed class PromptTests
{
    [SkippableFact]
    public async Task On_a_terminal_the_passphrase_is_asked_twice_without_echo()
    {
        var script = Peer.Require("script", "bsdutils");
        using var temp = new TempDirectory("securecam-pkitool");
        var pki = temp.Combine("pki");
        const string Secret = "typed on a terminal";

        var info = new ProcessStartInfo(script)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = temp.Path,
        };
        foreach (var argument in new[] { "-qec", $"dotnet '{PkiToolRunner.ToolDll}' --pki '{pki}' init", "/dev/null" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("SECURECAM_PKI_PASSPHRASE");
        using var process = Process.Start(info)!;
        try
        {
            // The prompt has no line end, so the terminal's output is read as it comes, not by lines.
            var output = new StringBuilder();
            var reader = Task.Run(async () =>
            {
                var buffer = new char[256];
                int read;
                while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
                {
                    lock (output)
                    {
                        output.Append(buffer, 0, read);
                    }
                }
            });
            string Seen()
            {
                lock (output)
                {
                    return output.ToString();
                }
            }

            // Type each answer only once its prompt is showing, as a person would.
            await Eventually.TrueAsync(() => Seen().Contains("CA passphrase:"), TimeSpan.FromSeconds(60), Seen);
            await process.StandardInput.WriteAsync(Secret + "\r");
            await process.StandardInput.FlushAsync();
            await Eventually.TrueAsync(() => Seen().Contains("Again, to confirm:"), TimeSpan.FromSeconds(60), Seen);
            await process.StandardInput.WriteAsync(Secret + "\r");
            await process.StandardInput.FlushAsync();

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            await reader;
            Assert.True(process.ExitCode == 0, Seen());
            Assert.Contains("Made CA", Seen());
            Assert.DoesNotContain(Secret, Seen());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        await OpenSslCli.RunOkAsync("pkey", "-in", Path.Combine(pki, "ca.key"), "-passin", "pass:" + Secret, "-noout");
    }
}
