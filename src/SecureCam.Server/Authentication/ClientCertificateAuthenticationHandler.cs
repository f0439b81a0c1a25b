using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureCam.Server.Audit;
using SecureCam.Server.Http;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Authentication;

/// <summary>
/// Turns the client certificate of the TLS connection into a <see cref="ClientIdentity"/> principal.
/// Microsoft.AspNetCore.Authentication.Certificate cannot be restored here, so this is our own small
/// handler with the same semantics. The handshake already checked the certificate; checking again per
/// request is cheap (cached chain) and catches what changes during a long keep-alive or HTTP/2
/// connection: a revocation or an expiry.
/// </summary>
internal sealed class ClientCertificateAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ClientCertificateValidator validator,
    AuditLog audit)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ClientCertificate";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.IsHttps)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var certificate = Context.Connection.ClientCertificate;
        var verdict = validator.Validate(certificate);
        if (!verdict.Accepted || certificate is null || verdict.Role is not { } role)
        {
            audit.ClientRejected("request", RemoteAddress.Of(Context.Connection), certificate, verdict.Reason);
            return Task.FromResult(AuthenticateResult.Fail(verdict.Reason));
        }

        var principal = ClientIdentity.FromCertificate(certificate, role).ToPrincipal(SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // No WWW-Authenticate: there is nothing a browser could prompt for.
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
