using Microsoft.AspNetCore.Authentication;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Every request is a registered, active partner's: the certificate scheme
/// (<see cref="PartnerCertificateAuthentication"/>) is authenticated explicitly here, while the
/// default authenticate scheme stays OpenIddict validation for the API's access tokens
/// (<see cref="AccessTokenMiddleware"/>). Both must succeed; neither stands in for the other.
/// The scheme's chain validation may be a cached one; what can change between two requests of one
/// kept-alive connection is checked here on each: the partner CA's CRL, the certificate's expiry,
/// and the registered partner's status (a suspension takes effect on the next request).
/// </summary>
public sealed class PartnerAuthenticationMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, PartnerTrust trust, IPartnerDirectory directory, TimeProvider time)
    {
        var result = await context.AuthenticateAsync(PartnerCertificateAuthentication.Scheme);
        if (!result.Succeeded)
        {
            var message = result.None ? "A client certificate is required"
                : result.Failure is PartnerRefusal refusal ? refusal.Message
                : "The client certificate is not trusted";
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", message);
        }
        var certificate = context.Connection.ClientCertificate
            ?? throw new GatewayException(ErrorKind.NotAuthenticated, "security", "A client certificate is required");
        if (trust.IsRevoked(certificate) || time.GetUtcNow() >= certificate.NotAfter.ToUniversalTime())
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
