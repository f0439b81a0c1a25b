using System.Diagnostics;
using SecureCam.Acme;

namespace SecureCam.Bench.Acme;

/// <summary>
/// Times one issuance, start to certificate in hand, for each client. Both do the same work per run:
/// read the directory, make a NEW account, order one name, answer http-01, finalize, download.
/// </summary>
internal static class AcmeIssuanceTimer
{
    /// <summary>SecureCam.Acme in-process (no process start-up, which a .NET CLI would add).</summary>
    public static async Task<TimeSpan> OursAsync(BenchPebble pebble, string domain, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var options = new AcmeClientOptions { DirectoryUri = pebble.DirectoryUri }.TrustRootsFromPemFile(pebble.TrustRootPath);
        using var client = await AcmeClient.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        using var key = AccountKey.Generate();
        var account = await client.NewAccountAsync(key, ["bench@securecam.test"], termsOfServiceAgreed: true, cancellationToken).ConfigureAwait(false);
        var tokens = new Http01TokenStore();
        await using var responder = new Http01StandaloneResponder(tokens, pebble.HttpPort);
        using var certificate = await new AcmeIssuer(client, tokens).IssueAsync(account, [domain], cancellationToken).ConfigureAwait(false);
        stopwatch.Stop();
        return stopwatch.Elapsed;
    }

    /// <summary>`lego … run` as a process (a Go binary: its start-up is a few milliseconds).</summary>
    public static async Task<TimeSpan> LegoAsync(BenchPebble pebble, string lego, string domain, CancellationToken cancellationToken)
    {
        var path = Path.Combine(pebble.Directory, "lego-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo(lego) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--server", pebble.DirectoryUri.AbsoluteUri, "--email", "bench@securecam.test", "--accept-tos",
            "--domains", domain, "--http", "--http.port", $":{pebble.HttpPort}", "--path", path, "run",
        })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["LEGO_CA_CERTIFICATES"] = pebble.TrustRootPath;
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {lego}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("lego did not finish within 2 minutes");
        }

        stopwatch.Stop();
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(path, "certificates", domain + ".crt")))
        {
            throw new InvalidOperationException($"lego failed (exit {process.ExitCode}): {output.Trim().Split('\n')[^1]}");
        }

        return stopwatch.Elapsed;
    }
}
