using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReferralExchange.Gateway.Audit;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (audit integrity and witnesses,
/// 503 when either fails), on the one mutual-TLS listener. They need a TLS connection with a
/// registered certificate, like everything here, but no access token: a load balancer's probe
/// (HAProxy <c>check-ssl</c> with its own client certificate, issue 15) cannot fetch one. They name
/// no record and no person, so they are not audited.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Live, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks(Ready, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
    }

    /// <summary>The report as JSON: overall status and each check's status, description and counters (no record, no person).</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        }));
    }
}
