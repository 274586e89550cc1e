using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Gateway.Audit;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>
/// Health on the console's own port, for the balancer in front of the console replicas (server
/// TLS, no client certificate: the port is public anyway). <c>/health/live</c>: the process answers;
/// <c>/health/ready</c>: the accounts database answers and the gateway in this process is ready (its
/// readiness checks: database writable, audit trail intact, witnesses, certificates, signer), since
/// every page calls the gateway's services. Only the word is answered — no check names, which are
/// for the loopback probe (ADR 0021) and the API's mutual-TLS listener.
/// </summary>
public static class ConsoleHealth
{
    public static void MapConsoleHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(HealthEndpoints.Live, () => Results.Text("Healthy")).AllowAnonymous();
        app.MapGet(HealthEndpoints.Ready, ReadyAsync).AllowAnonymous();
    }

    private static async Task<IResult> ReadyAsync(AccountsDbContext accounts, Core.GatewayCore core, CancellationToken ct)
    {
        var gateway = await core.Root.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains(HealthEndpoints.ReadyTag), ct);
        var ready = gateway.Status != HealthStatus.Unhealthy && await CanConnectAsync(accounts, ct);
        return ready ? Results.Text("Healthy") : Results.Text("Unhealthy", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<bool> CanConnectAsync(AccountsDbContext accounts, CancellationToken ct)
    {
        try
        {
            return await accounts.Database.CanConnectAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }
}
