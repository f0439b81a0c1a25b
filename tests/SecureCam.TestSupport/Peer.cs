using Xunit;

namespace SecureCam.TestSupport;

/// <summary>
/// External programs a test needs as an independent peer (openssl, curl, ffmpeg, pebble, chromium…).
/// On a developer machine a missing peer skips the test; with CI=true it fails the test, because a
/// green CI run that silently skipped its peers proves nothing.
/// </summary>
public static class Peer
{
    /// <summary>True when running under CI (the CI environment variable is "true" or "1").</summary>
    public static bool IsCi
    {
        get
        {
            var ci = Environment.GetEnvironmentVariable("CI");
            return string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1";
        }
    }

    /// <summary>
    /// Returns the full path of <paramref name="program"/> found on PATH (or the absolute path given).
    /// Skips the test when it is missing, or fails it under CI.
    /// </summary>
    public static string Require(string program, string? debianPackage = null)
    {
        var path = Find(program);
        if (path is not null)
        {
            return path;
        }

        var hint = $"'{program}' is not installed (Debian package: {debianPackage ?? program}; ./test.sh installs it)";
        if (IsCi)
        {
            throw new InvalidOperationException("CI=true and a required peer is missing: " + hint);
        }

        throw new SkipException(hint);
    }

    /// <summary>Skips (or under CI fails) the test when <paramref name="condition"/> is false.</summary>
    public static void RequireThat(bool condition, string reason)
    {
        if (condition)
        {
            return;
        }

        if (IsCi)
        {
            throw new InvalidOperationException("CI=true and a test precondition is not met: " + reason);
        }

        throw new SkipException(reason);
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? Find(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : null;
        }

        var pathVariable = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var dir in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (var dir in new[] { "/usr/sbin", "/sbin" })
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
