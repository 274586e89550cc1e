using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Gateway.Audit;

namespace ReferralExchange.Gateway.Health;

/// <summary>
/// A plain-HTTP health listener on the loopback address only (<c>Gateway:HealthProbe:Port</c>, off
/// unless set), for probes that live beside the process and cannot present a partner certificate:
/// a container's HEALTHCHECK (<c>dotnet ReferralExchange.Gateway.dll probe</c>), a kubelet exec
/// probe, a systemd watchdog. It answers <c>/health/live</c> and <c>/health/ready</c> exactly as the
/// mutual-TLS listener does, and nothing else: every other request on it is 404 before routing,
/// authentication or any endpoint, so the API stays reachable over mutual TLS only. Bound to
/// 127.0.0.1, never configurable to another address: in a container that is the container's own
/// loopback, out of reach of the network (the balancer probes over mutual TLS, issue 15 point 5).
/// </summary>
public static class LocalHealthProbe
{
    public const string PortSetting = "Gateway:HealthProbe:Port";

    /// <summary>The configured port, or null when the listener is off.</summary>
    public static int? Port(IConfiguration configuration) => configuration.GetValue<int?>(PortSetting) is > 0 and var port ? port : null;

    public static void Add(WebApplicationBuilder builder)
    {
        if (Port(builder.Configuration) is not { } port)
        {
            return;
        }
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    /// <summary>First in the pipeline: a request that arrived on the probe listener never goes further.</summary>
    public static void UseLocalHealthProbe(this WebApplication app)
    {
        if (Port(app.Configuration) is not { } port)
        {
            return;
        }
        app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort != port || context.Request.IsHttps)
            {
                await next(context);
                return;
            }
            var path = context.Request.Path;
            Func<HealthCheckRegistration, bool>? predicate =
                path.Equals(HealthEndpoints.Live, StringComparison.Ordinal) ? _ => false
                : path.Equals(HealthEndpoints.Ready, StringComparison.Ordinal) ? check => check.Tags.Contains(HealthEndpoints.ReadyTag)
                : null;
            if (predicate is null || !HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            var report = await context.RequestServices.GetRequiredService<HealthCheckService>().CheckHealthAsync(predicate, context.RequestAborted);
            // As MapHealthChecks answers: 200 for Healthy and Degraded, 503 for Unhealthy.
            context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            await HealthEndpoints.WriteAsync(context, report);
        });
    }
}
