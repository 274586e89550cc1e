using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Gateway.Audit;

/// <summary>
/// Ready only while the trail is known consistent with the witnesses (issue 12 §5). While the
/// records before the witnessed tip are still being re-checked (ADR 0026) it says how far, so an
/// operator knows an old edit may not have been found yet.
/// </summary>
public sealed class AuditIntegrityHealthCheck(AuditIntegrityGuard guard, AuditRecheck recheck) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (guard.Problem is { } problem)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"audit trail integrity: {problem}"));
        }
        if (!guard.IsConsistent)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the trail has not been checked against its witnesses yet"));
        }
        var progress = new Dictionary<string, object> { ["recheckDone"] = recheck.IsDone, ["recheckedRecords"] = recheck.Checked, ["recheckTarget"] = recheck.Target };
        return Task.FromResult(HealthCheckResult.Healthy(recheck.IsDone
            ? "the trail is consistent with the latest witnessed checkpoint"
            : $"the trail is consistent with the latest witnessed checkpoint; records before it re-checked in the background: {recheck.Checked} of {recheck.Target}", progress));
    }
}
