using System.Net.Security;

namespace SecureCam.Bench.Tls;

/// <summary>
/// `--cipher-suites`: the suites the bench's own client offers, so a run can make the server use a suite
/// that is not first in its own order (the server's preference wins among what the client offers).
/// Without the option the client offers the system OpenSSL's defaults.
/// </summary>
internal static class ClientCipherSuites
{
    /// <summary>The policy for IANA suite names (TLS_AES_128_GCM_SHA256, …), comma-separated or repeated; null for none.</summary>
    public static CipherSuitesPolicy? Parse(IEnumerable<string>? values)
    {
        var names = (values ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (names.Count == 0)
        {
            return null;
        }

        var suites = new List<TlsCipherSuite>();
        foreach (var name in names)
        {
            // The enum also parses numbers ("4865"); only names are meant.
            if (char.IsAsciiDigit(name[0]) || !Enum.TryParse<TlsCipherSuite>(name, ignoreCase: false, out var suite) || !Enum.IsDefined(suite))
            {
                throw new BenchInputException($"--cipher-suites {name}: not a TLS cipher suite name (IANA names, e.g. TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256)");
            }

            suites.Add(suite);
        }

        if (OperatingSystem.IsWindows())
        {
            throw new BenchInputException("--cipher-suites: Windows' TLS (SChannel) has no per-connection cipher suite list");
        }

        return new CipherSuitesPolicy(suites);
    }
}
