using System.Diagnostics;
using Microsoft.AspNetCore.Routing;

namespace ReferralExchange.Gateway.Logging;

/// <summary>
/// One structured line per request: method, route template (never the raw path or query, which
/// carry identifiers), status, duration, request id and partner id. Nothing from bodies.
/// </summary>
public sealed class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
            var partner = (context.Items["ReferralExchange.Partner"] as Core.Partners.Partner)?.Id ?? "(none)";
            logger.LogInformation("HTTP {Method} {RouteTemplate} answered {StatusCode} in {ElapsedMs:0.0} ms for {PartnerId}",
                context.Request.Method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, partner);
        }
    }
}
