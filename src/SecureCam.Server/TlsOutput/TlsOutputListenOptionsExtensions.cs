using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using SecureCam.Server.Configuration;

namespace SecureCam.Server.TlsOutput;

/// <summary>
/// The one way into this folder: Kestrel's HTTPS layer on a listen address, with SecureCam's output
/// around it (<see cref="TlsOutputMode.Direct"/>) or exactly as Kestrel ships it
/// (<see cref="TlsOutputMode.Kestrel"/>, <c>Server:TlsOutput=kestrel</c>: none of this folder runs).
/// Direct puts <see cref="DirectSocketOutput"/> right before the HTTPS layer (its encrypted records go
/// straight to the socket) and <see cref="TlsRecordSizedOutput"/> right after it (HTTP writes 16 KB
/// segments, so responses leave as full-size records). Both only replace the output side of
/// <c>ConnectionContext.Transport</c> (<see cref="TransportOutputReplacement"/>); reads, aborts and the
/// socket's shutdown stay Kestrel's. Which Kestrel behaviour each piece relies on is pinned by
/// KestrelAssumptionTests; the upstream change that would retire each is in docs/architecture.md,
/// "The TLS plumbing".
/// </summary>
internal static class TlsOutputListenOptionsExtensions
{
    public static ListenOptions UseHttps(this ListenOptions listen, TlsHandshakeCallbackOptions https, TlsOutputMode output)
    {
        if (output == TlsOutputMode.Kestrel)
        {
            return listen.UseHttps(https);
        }

        DirectSocketOutput.Apply(listen);
        listen.UseHttps(https);
        TlsRecordSizedOutput.Apply(listen);
        return listen;
    }
}
