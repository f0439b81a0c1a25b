namespace SecureCam.Pki;

/// <summary>The outcome of <see cref="CertificateVerifier.Verify"/>: a yes/no and one line saying why.</summary>
public sealed record VerificationResult(bool IsValid, string Verdict);
