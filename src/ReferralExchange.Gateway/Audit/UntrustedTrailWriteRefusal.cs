using Microsoft.AspNetCore.Routing;
using ReferralExchange.Core.Errors;
using ReferralExchange.Gateway.Security;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Gateway.Audit;

/// <summary>
/// While the trail is not consistent with its witnesses (issue 12 §5), writes answer 503: each
/// would add records to a trail no checkpoint can be signed over. Reads go on (each read's stored
/// version is still checked against its audited hash), so partners keep their data and an operator
/// can investigate; the token endpoint goes on, since reads need tokens.
/// </summary>
public sealed class UntrustedTrailWriteRefusal(RequestDelegate next, AuditIntegrityGuard guard)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (guard.IsCompromised && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !RequiredScope.IsPublic((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText))
        {
            throw new GatewayException(ErrorKind.Unavailable, "exception",
                "The audit trail failed its integrity check against the witnessed checkpoints; writes are refused until the operator has investigated");
        }
        await next(context);
    }
}
