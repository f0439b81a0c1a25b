using System.CommandLine;

namespace SecureCam.Server.Commands;

/// <summary>The options `serve` and `demo` share, and how they map onto configuration keys.</summary>
internal sealed class ServeOptions
{
    public Option<string[]> Listen { get; } = new("--listen")
    {
        Description = "URL to listen on (several allowed): https://0.0.0.0:8443, https://[::]:8443, https://127.0.0.1:8443",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string?> Pki { get; } = new("--pki") { Description = "PKI folder (default: $SECURECAM_PKI, else ./pki)" };

    public Option<string?> Camera { get; } = new("--camera") { Description = "synthetic | pipe:\"CMD\" | v4l2:/dev/videoN" };

    public Option<string?> Config { get; } = new("--config") { Description = "a JSON settings file (same shape as appsettings.json)" };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "more detail in errors and logs" };

    public void AddTo(Command command)
    {
        command.Options.Add(Listen);
        command.Options.Add(Pki);
        command.Options.Add(Camera);
        command.Options.Add(Config);
        command.Options.Add(Verbose);
    }

    /// <summary>The command-line layer of the configuration (highest precedence).</summary>
    public Dictionary<string, string?> ToConfiguration(ParseResult result) =>
        CommandLineLayer(result.GetValue(Listen), result.GetValue(Pki), result.GetValue(Camera));

    /// <summary>How `--listen`, `--pki` and `--camera` map onto configuration keys, for every verb that has them.</summary>
    public static Dictionary<string, string?> CommandLineLayer(string[]? listen, string? pki, string? camera)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (listen is { Length: > 0 })
        {
            // One string rather than Listen:0, Listen:1…: an array from appsettings.json would otherwise
            // be merged element by element and keep its extra entries.
            values["Server:Listen"] = string.Join(';', listen);
        }

        if (pki is not null)
        {
            values["Server:PkiDirectory"] = pki;
        }

        if (camera is not null)
        {
            values["Camera:Source"] = camera;
        }

        return values;
    }
}
