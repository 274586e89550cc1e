using Microsoft.AspNetCore.Authentication;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Every request is a registered, active partner's: the certificate scheme
/// (<see cref="PartnerCertificateAuthentication"/>) is authenticated explicitly here, while the
/// default authenticate scheme stays OpenIddict validation for the API's access tokens
/// (<see cref="AccessTokenMiddleware"/>). Both must succeed; neither stands in for the other.
/// </summary>
public sealed class PartnerAuthenticationMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(PartnerCertificateAuthentication.Scheme);
        if (!result.Succeeded)
        {
            var message = result.None ? "A client certificate is required"
                : result.Failure is PartnerRefusal refusal ? refusal.Message
                : "The client certificate is not trusted";
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", message);
        }
        await next(context);
    }
}
