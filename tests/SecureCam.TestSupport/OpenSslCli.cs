namespace SecureCam.TestSupport;

/// <summary>The openssl command line, the independent judge of certificates, CRLs and PKCS#12 files.</summary>
public static class OpenSslCli
{
    /// <summary>Runs `openssl ARGS` (skips the test without openssl, fails it under CI).</summary>
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ExternalProcess.RunAsync(Peer.Require("openssl"), arguments, timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs openssl and fails with its output unless it exits 0.</summary>
    public static async Task<string> RunOkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed:\n{result}");
        }

        return result.Combined;
    }
}
