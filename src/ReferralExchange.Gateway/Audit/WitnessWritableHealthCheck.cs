using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Gateway.Audit;

/// <summary>
/// Unready while a witness failed the last checkpoint filed with it: checkpoints are then signed but
/// not published (issue 12 §2). It reports the last write, not a fresh probe: a probe would leave a
/// file behind in every append-only directory or immutable container on every poll.
/// </summary>
public sealed class WitnessWritableHealthCheck(WitnessPublisher publisher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(publisher.Failing.Count == 0
            ? HealthCheckResult.Healthy("every witness took the last checkpoint")
            : HealthCheckResult.Unhealthy(string.Join("; ", publisher.Failing.Values)));
}
