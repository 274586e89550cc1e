using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Maps the TLS client certificate to a registered, active partner on every request. The handshake
/// already refused certificates that do not chain to the partner CA; this check runs again per
/// request because TLS sessions are resumed and a partner may be suspended in between.
/// </summary>
public sealed class PartnerAuthenticationMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IPartnerDirectory directory, PartnerTrust trust)
    {
        var certificate = context.Connection.ClientCertificate
            ?? throw new GatewayException(ErrorKind.NotAuthenticated, "security", "A client certificate is required");

        // Defence in depth: the handshake callback checked this, but a resumed session skips it.
        var verdict = trust.Evaluate(certificate);
        if (!verdict.IsTrusted)
        {
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", "The client certificate is not trusted");
        }

        var partner = await directory.FindByCertificateAsync(CertificateThumbprint.Sha256(certificate), context.RequestAborted);
        if (partner is null || !partner.IsActive)
        {
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", "The client certificate is not registered to an active partner");
        }
        PartnerContext.Set(context, partner);
        await next(context);
    }
}
