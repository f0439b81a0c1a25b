namespace SecureCam.Server.Demo;

/// <summary>What the demo's PKI holds after <see cref="DemoPkiSetup.Prepare"/>: paths and what to tell the user.</summary>
internal sealed record DemoPki(
    string Directory,
    string CaCertificatePath,
    string ServerCertificateName,
    string ClientCertificatePath,
    string ClientKeyPath,
    string Pkcs12Path,
    string? Pkcs12Password,
    string? PasswordFile,
    IReadOnlyList<string> Messages);
