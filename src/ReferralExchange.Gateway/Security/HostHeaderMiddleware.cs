using ReferralExchange.Core.Errors;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Refuses a request whose Host header names another site (400 with an OperationOutcome), before
/// any authentication work. It replaces ASP.NET Core's host filtering middleware, which answers a
/// plain-text 400; the setting it reads is the same (<c>AllowedHosts</c>).
/// </summary>
public sealed class HostHeaderMiddleware(RequestDelegate next, HostHeaderPolicy policy)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!policy.Accepts(context.Request.Host))
        {
            throw GatewayException.BadRequest("The Host header does not name this gateway", "Host");
        }
        return next(context);
    }
}
