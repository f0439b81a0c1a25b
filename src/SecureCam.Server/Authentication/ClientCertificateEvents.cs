using Microsoft.AspNetCore.Authentication.Certificate;
using SecureCam.Server.Audit;
using SecureCam.Server.Http;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Authentication;

/// <summary>
/// Our policy on top of the package's chain check, through its events: after the package accepts the chain,
/// <see cref="ClientCertificateValidator"/> (the handshake's own check) decides and the principal is ours;
/// every refusal is audited; an unauthenticated request is answered 401, not the package's 403.
/// </summary>
internal sealed class ClientCertificateEvents(ClientCertificateValidator validator, AuditLog audit) : CertificateAuthenticationEvents
{
    public override Task CertificateValidated(CertificateValidatedContext context)
    {
        // What the package's chain policy lets through and ours does not: an intermediate below the CA,
        // no EKU at all, a CA certificate, a certificate of a CA replaced since, and the live CRL.
        var certificate = context.ClientCertificate;
        var sha256 = ClientConnectionFeature.CertificateSha256(context.HttpContext.Features, certificate);
        var verdict = validator.Validate(certificate, sha256);
        if (!verdict.Accepted || verdict.Role is not { } role)
        {
            context.Fail(verdict.Reason);
            return Task.CompletedTask;
        }

        context.Principal = ClientIdentity.FromCertificate(certificate, role, sha256).ToPrincipal(context.Scheme.Name);
        context.Success();
        return Task.CompletedTask;
    }

    public override Task AuthenticationFailed(CertificateAuthenticationFailedContext context)
    {
        // Raised for our refusals above and for the package's own (chain, self-signed).
        var connection = context.HttpContext.Connection;
        audit.ClientRejected("request", RemoteAddress.Of(connection), connection.ClientCertificate, context.Exception.Message);
        return Task.CompletedTask;
    }

    public override Task Challenge(CertificateChallengeContext context)
    {
        // The certificate is missing or no longer good: 401, as before; 403 stays for a role that may not (admin-only pages).
        // No WWW-Authenticate: there is nothing a browser could prompt for.
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.HandleResponse();
        return Task.CompletedTask;
    }
}
