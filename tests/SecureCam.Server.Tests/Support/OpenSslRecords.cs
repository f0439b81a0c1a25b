using System.Globalization;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests.Support;

/// <summary>A server's TLS records read off the wire by openssl (<c>s_client -msg</c> prints every record header).</summary>
internal static class OpenSslRecords
{
    /// <summary>
    /// Sends <paramref name="request"/> over <c>openssl s_client</c> (HTTP/1.1 by ALPN) to 127.0.0.1:<paramref name="port"/>
    /// and returns what came back and the lengths of the records the server sent as application_data.
    /// </summary>
    public static async Task<(ProcessResult Result, List<int> Lengths)> FetchAsync(int port, string caFile, ClientFiles? client, string version, string request)
    {
        var openssl = Peer.Require("openssl");
        using var temp = new TempDirectory();
        var messages = temp.Combine("records.txt");
        var arguments = new List<string> { "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", version, "-alpn", "http/1.1", "-CAfile", caFile };
        if (client is not null)
        {
            arguments.AddRange(["-cert", client.CertificatePath, "-key", client.KeyPath]);
        }

        arguments.AddRange(["-ign_eof", "-quiet", "-msg", "-msgfile", messages]);
        var result = await ExternalProcess.RunAsync(openssl, arguments, standardInput: request, timeout: TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var lines = File.Exists(messages) ? await File.ReadAllLinesAsync(messages).ConfigureAwait(false) : Array.Empty<string>();
        return (result, ApplicationDataRecordLengths(lines));
    }

    /// <summary>Lengths of the records the server sent with content type application_data (0x17), from openssl's -msg output.</summary>
    public static List<int> ApplicationDataRecordLengths(string[] lines)
    {
        // "<<< TLS 1.2, RecordHeader [length 0005]" is followed by the five header bytes: "    17 03 03 40 11".
        var lengths = new List<int>();
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (!lines[i].StartsWith("<<<", StringComparison.Ordinal) || !lines[i].Contains("RecordHeader", StringComparison.Ordinal))
            {
                continue;
            }

            var bytes = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (bytes.Length == 5 && bytes[0] == "17")
            {
                lengths.Add(int.Parse(bytes[3] + bytes[4], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }

        return lengths;
    }
}
