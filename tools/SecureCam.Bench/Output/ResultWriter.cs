using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecureCam.Bench.Output;

/// <summary>Writes a workload's result as JSON (snake_case keys, for jq in compare.sh).</summary>
internal static class ResultWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,

        // An empty sample has NaN percentiles; JSON has no NaN, so it is written as the string "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task WriteAsync<T>(T result, string? path, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, result, Options, cancellationToken).ConfigureAwait(false);
    }
}
