using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`list [--json]`: every certificate issued, with its status today and whether its private key is still on the box.</summary>
internal static partial class ListCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "print JSON instead of a table" };
        var command = new Command("list", "list issued certificates and their status (valid, expiring, expired, revoked)") { json };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var index = context.Store.ReadIndex();
            using (var caCertificate = context.Store.ReadCaCertificate())
            {
                // Show what is really revoked: an index restored from a backup may lack what crl.pem publishes.
                try
                {
                    index = context.Store.MergePublishedRevocations(index, caCertificate, context.Warn);
                }
                catch (PkiException e)
                {
                    context.Warn(e.Message);
                }
            }

            foreach (var bare in index.RevokedSerials)
            {
                context.Warn($"serial {bare.Serial} is revoked but has no entry in {context.Store.IndexPath}");
            }

            var rows = index.Entries.Select(e => new Row(
                e.Name,
                e.Kind.ToString().ToLowerInvariant(),
                e.Role is { } r ? CertificateProfiles.RoleName(r) : null,
                e.Serial,
                e.NotAfter,
                e.StatusAt(now).ToString().ToLowerInvariant(),
                e.RevokedAt,
                e.RevocationReason is { } reason ? RevocationReasons.Name(reason) : null,
                e.DnsNames,
                e.IpAddresses,
                ClientKeys.IsOnBox(context.Store, e.Name))).ToList();
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(rows, ListJson.Default.ListRow));
                return Task.FromResult(0);
            }

            if (rows.Count == 0)
            {
                context.Out.WriteLine("no certificates issued yet");
                return Task.FromResult(0);
            }

            var table = rows.Select(r => new[]
            {
                r.Name, r.Kind, r.Role ?? "-", r.Serial, r.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Status,
                r.KeyOnBox ? "on box" : "-",
            }).Prepend(["NAME", "KIND", "ROLE", "SERIAL", "NOT-AFTER", "STATUS", "KEY"]).ToList();
            var widths = Enumerable.Range(0, 7).Select(i => table.Max(cells => cells[i].Length)).ToArray();
            foreach (var cells in table)
            {
                context.Out.WriteLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private sealed record Row(
        string Name,
        string Kind,
        string? Role,
        string Serial,
        DateTimeOffset NotAfter,
        string Status,
        DateTimeOffset? RevokedAt,
        string? RevocationReason,
        IReadOnlyList<string> DnsNames,
        IReadOnlyList<string> IpAddresses,
        bool KeyOnBox);

    /// <summary>Source-generated, so the native build prints every field.</summary>
    [JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(List<Row>))]
    private sealed partial class ListJson : JsonSerializerContext
    {
    }
}
