using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SecureCam.Server.Tls;

/// <summary>
/// Connection middleware a feature adds around Kestrel's HTTPS layer on every TLS listen address
/// (<see cref="TlsConnectionSetup.Apply"/>). ACME's tls-alpn-01 uses it: before the handshake to read
/// the ALPN list of the ClientHello (Kestrel's per-connection callback sees only the SNI), after it to
/// close a validation connection.
/// </summary>
internal interface ITlsListenerHook
{
    /// <summary>Adds middleware that runs before the TLS handshake (on the raw bytes).</summary>
    void BeforeHandshake(ListenOptions listen);

    /// <summary>Adds middleware that runs after a successful handshake, before HTTP.</summary>
    void AfterHandshake(ListenOptions listen);
}
