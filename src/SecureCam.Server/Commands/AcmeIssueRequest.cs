namespace SecureCam.Server.Commands;

/// <summary>The arguments of `securecam acme issue`.</summary>
internal sealed record AcmeIssueRequest(
    string Directory,
    IReadOnlyList<string> Domains,
    IReadOnlyList<string> Emails,
    string Challenge,
    int HttpPort,
    int TlsPort,
    string? TrustFile,
    bool AcceptTermsOfService,
    string? EabKeyId,
    string? EabMacKey,
    string OutputDirectory,
    string? Profile = null);
