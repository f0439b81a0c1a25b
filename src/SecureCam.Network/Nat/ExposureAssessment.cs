namespace SecureCam.Network.Nat;

/// <summary>
/// Everything about reaching this box from the internet: the NAT verdict, whether a port forward
/// and ACME (http-01 / tls-alpn-01, which need inbound connections) can work, and what to do.
/// </summary>
public sealed record ExposureAssessment(
    NatAssessment Nat,
    PortForwarding PortForwarding,
    string PortForwardingReason,
    bool AcmeReady,
    string AcmeReason,
    IReadOnlyList<Recommendation> Recommendations);
