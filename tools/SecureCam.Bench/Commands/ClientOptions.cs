using System.CommandLine;
using SecureCam.Bench.Sampling;
using SecureCam.Bench.Tls;

namespace SecureCam.Bench.Commands;

/// <summary>The options every mutual-TLS workload shares: target, identity, server PID, output.</summary>
internal sealed class ClientOptions
{
    public Option<string> Url { get; } = new("--url") { Description = "https URL of the endpoint to load", Required = true };

    // Several --cert/--key pairs are allowed because a server may cap the streams one certificate
    // holds (SecureCam: Server:MaxStreamsPerCertificate); connections take them in turn.
    public Option<string[]> Cert { get; } = new("--cert") { Description = "client certificate (PEM); repeat with --key for several identities", Required = true, Arity = ArgumentArity.OneOrMore };

    public Option<string[]> Key { get; } = new("--key") { Description = "client private key (PEM, unencrypted), one per --cert", Required = true, Arity = ArgumentArity.OneOrMore };

    public Option<string> Ca { get; } = new("--ca") { Description = "the CA certificate the server's certificate must chain to (PEM)", Required = true };

    public Option<int[]> ServerPid { get; } = new("--server-pid") { Description = "sample this process and its children from /proc (CPU, RSS); repeat to count several programs as one server", Arity = ArgumentArity.ZeroOrMore };

    public Option<string?> Json { get; } = new("--json") { Description = "also write the result as JSON to this file" };

    public Option<bool> Verbose { get; } = new("--verbose") { Description = "print the detail of errors" };

    public Option<string[]> CipherSuites { get; } = new("--cipher-suites") { Description = "offer only these TLS cipher suites (IANA names, comma-separated or repeated; default: the system OpenSSL's list)", Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Cert);
        command.Options.Add(Key);
        command.Options.Add(Ca);
        command.Options.Add(ServerPid);
        command.Options.Add(Json);
        command.Options.Add(Verbose);
        command.Options.Add(CipherSuites);
    }

    public Uri ReadUrl(ParseResult parse)
    {
        var text = parse.GetValue(Url)!;
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
            ? url
            : throw new BenchInputException($"--url {text}: not an https URL");
    }

    /// <summary>One connector per --cert/--key pair, all to the same URL.</summary>
    public IReadOnlyList<MutualTlsConnector> ReadConnectors(ParseResult parse)
    {
        var url = ReadUrl(parse);
        var certs = parse.GetValue(Cert)!;
        var keys = parse.GetValue(Key)!;
        if (certs.Length != keys.Length)
        {
            throw new BenchInputException($"{certs.Length} --cert but {keys.Length} --key: give one key per certificate");
        }

        var ca = parse.GetValue(Ca)!;
        var cipherSuites = ClientCipherSuites.Parse(parse.GetValue(CipherSuites));
        return certs.Zip(keys, (cert, key) => new MutualTlsConnector(url, ClientIdentity.Load(cert, key, ca), cipherSuites)).ToList();
    }

    /// <summary>Started samplers for every --server-pid (none when none was given).</summary>
    public ServerSamplers StartSamplers(ParseResult parse)
    {
        var samplers = new List<ProcessSampler>();
        foreach (var pid in parse.GetValue(ServerPid) ?? [])
        {
            if (ProcStat.Read(pid) is null)
            {
                throw new BenchInputException($"--server-pid {pid}: no such process");
            }

            // Half-second samples: enough points for a mean and a peak in a 10–30 s window.
            var sampler = new ProcessSampler(pid, TimeSpan.FromMilliseconds(500));
            sampler.Start();
            samplers.Add(sampler);
        }

        return new ServerSamplers(samplers);
    }
}
