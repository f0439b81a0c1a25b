using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>
/// A user's NSS database (~/.pki/nssdb), which Chromium on Linux reads for trusted CAs and client
/// identities, made with the NSS tools (Debian libnss3-tools).
/// </summary>
internal static class NssDatabase
{
    /// <summary>Makes the database (in HOME/.pki/nssdb, or <paramref name="databaseDirectory"/>, e.g. a Firefox profile) trusting the CA.</summary>
    public static async Task CreateAsync(string home, string caCertificate, CancellationToken cancellationToken, string? databaseDirectory = null)
    {
        var certutil = Peer.Require("certutil", "libnss3-tools");
        var db = databaseDirectory ?? Path.Combine(home, ".pki", "nssdb");
        Directory.CreateDirectory(db);
        await RunAsync(certutil, ["-N", "-d", "sql:" + db, "--empty-password"], cancellationToken);

        // "C,," = trusted to issue server certificates (SSL), nothing for mail or code.
        await RunAsync(certutil, ["-A", "-d", "sql:" + db, "-t", "C,,", "-n", "securecam-ca", "-i", caCertificate], cancellationToken);
    }

    public static async Task ImportIdentityAsync(string home, string p12, string password, CancellationToken cancellationToken, string? databaseDirectory = null)
    {
        var pk12util = Peer.Require("pk12util", "libnss3-tools");
        var db = databaseDirectory ?? Path.Combine(home, ".pki", "nssdb");
        await RunAsync(pk12util, ["-i", p12, "-d", "sql:" + db, "-W", password], cancellationToken);
    }

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var result = await ExternalProcess.RunAsync(program, arguments, timeout: TimeSpan.FromSeconds(60), cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments.Where(a => !a.StartsWith('-') || a.Length < 3))} failed: {result}");
        }
    }
}
