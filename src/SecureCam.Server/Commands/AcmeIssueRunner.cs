using System.Globalization;
using System.Net.Sockets;
using SecureCam.Acme;

namespace SecureCam.Server.Commands;

/// <summary>The work of `securecam acme issue`, apart from parsing: validate, issue, write.</summary>
internal static class AcmeIssueRunner
{
    public static async Task<int> RunAsync(AcmeIssueRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        var options = ClientOptions(request);
        var eab = request.EabKeyId is null && request.EabMacKey is null
            ? null
            : ExternalAccountBindingKey.FromBase64Url(
                request.EabKeyId ?? throw new ArgumentException("--eab-hmac needs --eab-kid"),
                request.EabMacKey ?? throw new ArgumentException("--eab-kid needs --eab-hmac"));
        CheckPort(request.HttpPort, "--http-port");
        CheckPort(request.TlsPort, "--tls-port");
        Directory.CreateDirectory(request.OutputDirectory);

        using var client = await AcmeClient.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        var storage = new AcmeFileStorage(request.OutputDirectory);
        using var key = storage.LoadOrCreateAccountKey(options.DirectoryUri!);
        var account = await client.NewAccountAsync(key, request.Emails, request.AcceptTermsOfService, cancellationToken, eab).ConfigureAwait(false);
        storage.SaveAccount(options.DirectoryUri!, account);

        using var certificate = await IssueAsync(client, account, request, cancellationToken).ConfigureAwait(false);
        CertificateFiles.Write(request.OutputDirectory, certificate);
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"issued {string.Join(", ", certificate.Names)}: serial {certificate.SerialNumber}, valid until {certificate.NotAfter:yyyy-MM-dd HH:mm:ss}Z; " +
            $"wrote {Path.Combine(request.OutputDirectory, CertificateFiles.FullChainFileName)} and {Path.Combine(request.OutputDirectory, CertificateFiles.KeyFileName)}")).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The one line a user sees for a failure, with the fix where there is one.</summary>
    public static string Describe(Exception error, AcmeIssueRequest request) => error switch
    {
        AcmeTermsNotAcceptedException e => e.Message + "; read them and add --accept-tos",
        SocketException e when e.SocketErrorCode == SocketError.AccessDenied =>
            $"cannot listen on port {ResponderPort(request)}: it needs root or CAP_NET_BIND_SERVICE (or forward port {DefaultPort(request)} to a higher port and pass it)",
        SocketException e when e.SocketErrorCode == SocketError.AddressAlreadyInUse =>
            $"cannot listen on port {ResponderPort(request)}: something else is using it (stop it, or use the other challenge type)",
        AcmeChallengeFailedException e => e.Message + $" (the CA must reach this box on port {DefaultPort(request)}; `securecam doctor` tells whether it can)",
        _ => error.Message,
    };

    private static async Task<AcmeCertificate> IssueAsync(AcmeClient client, AcmeAccount account, AcmeIssueRequest request, CancellationToken cancellationToken)
    {
        if (request.Challenge == ChallengeTypes.TlsAlpn01)
        {
            using var certificates = new TlsAlpn01CertificateStore();
            await using var tlsResponder = new TlsAlpn01StandaloneResponder(certificates, request.TlsPort);
            return await new AcmeIssuer(client, certificates).IssueAsync(account, request.Domains, cancellationToken, replaces: null, request.Profile).ConfigureAwait(false);
        }

        var tokens = new Http01TokenStore();
        await using var httpResponder = new Http01StandaloneResponder(tokens, request.HttpPort);
        return await new AcmeIssuer(client, tokens).IssueAsync(account, request.Domains, cancellationToken, replaces: null, request.Profile).ConfigureAwait(false);
    }

    private static AcmeClientOptions ClientOptions(AcmeIssueRequest request)
    {
        if (!Uri.TryCreate(request.Directory, UriKind.Absolute, out var directory))
        {
            throw new ArgumentException($"--directory: '{request.Directory}' is not an absolute URL");
        }

        if (request.Domains.Count == 0 || request.Domains.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("--domain: at least one name is needed");
        }

        var options = new AcmeClientOptions { DirectoryUri = directory };
        if (request.TrustFile is not null)
        {
            if (!File.Exists(request.TrustFile))
            {
                throw new ArgumentException($"--trust: {request.TrustFile} does not exist");
            }

            options.TrustRootsFromPemFile(request.TrustFile);
        }

        options.Validate();
        return options;
    }

    private static void CheckPort(int port, string option)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentException($"{option}: {port} is not a TCP port");
        }
    }

    private static int ResponderPort(AcmeIssueRequest request) => request.Challenge == ChallengeTypes.TlsAlpn01 ? request.TlsPort : request.HttpPort;

    private static int DefaultPort(AcmeIssueRequest request) => request.Challenge == ChallengeTypes.TlsAlpn01 ? 443 : 80;
}
