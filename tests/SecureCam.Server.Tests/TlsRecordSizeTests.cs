using SecureCam.Server.Tests.Support;
using SecureCam.TestSupport;

namespace SecureCam.Server.Tests;

/// <summary>
/// The server's TLS records, read off the wire by openssl (<c>s_client -msg</c> prints every record
/// header): a response of several records must leave in full 16 KB records, as nginx sends them, not in the 4 KB
/// records Kestrel's HTTPS layer makes on its own (each record is a seal, a header and a tag more).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TlsRecordSizeTests(ServerFixture server)
{
    /// <summary>The largest plaintext a TLS record may carry; a full record on the wire is longer (type byte, tag, nonce).</summary>
    internal const int FullRecordPlaintext = 16 * 1024;

    [SkippableTheory]
    [InlineData("-tls1_3")]
    [InlineData("-tls1_2")]
    public async Task A_snapshot_leaves_in_full_size_records(string version)
    {
        Peer.Require("openssl");
        var (result, lengths) = await OpenSslRecords.FetchAsync(
            server.Port, server.Pki.CaCertificatePath, server.Viewer, version, "GET /snapshot HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        // openssl exits 1 at the end ("unexpected eof"): .NET closes without a close_notify alert.
        Assert.True(result.StandardOutput.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), result.StandardError);
        Assert.Contains("Content-Type: image/jpeg", result.StandardOutput, StringComparison.OrdinalIgnoreCase);

        // In TLS 1.3 the server's handshake messages are application_data records too; they are
        // the small ones. The response (headers, then a snapshot of more than 16 KB) is the rest,
        // every record of it but the last must be full.
        var response = lengths.Where(length => length > 1000).ToList();
        var described = $"application data record lengths: {string.Join(' ', lengths)}";
        Assert.True(response.Count >= 2, "a response of one record cannot tell; " + described);
        Assert.True(response[..^1].All(length => length > FullRecordPlaintext), described);
    }
}
