namespace SecureCam.Acme;

/// <summary>The challenge types SecureCam answers.</summary>
public static class ChallengeTypes
{
    /// <summary>RFC 8555 §8.3: a file at http://DOMAIN:80/.well-known/acme-challenge/TOKEN.</summary>
    public const string Http01 = "http-01";

    /// <summary>RFC 8737: a special certificate in a TLS handshake on port 443 with ALPN "acme-tls/1".</summary>
    public const string TlsAlpn01 = "tls-alpn-01";

    public static bool IsSupported(string type) => type is Http01 or TlsAlpn01;
}
