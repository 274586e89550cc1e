using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Gateway.Audit;

/// <summary>Ready only while the trail is known consistent with the witnesses (issue 12 §5).</summary>
public sealed class AuditIntegrityHealthCheck(AuditIntegrityGuard guard) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(guard.Problem is { } problem ? HealthCheckResult.Unhealthy($"audit trail integrity: {problem}")
            : guard.IsConsistent ? HealthCheckResult.Healthy("the trail is consistent with the latest witnessed checkpoint")
            : HealthCheckResult.Unhealthy("the trail has not been checked against its witnesses yet"));
}
