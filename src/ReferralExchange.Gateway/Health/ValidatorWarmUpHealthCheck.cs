using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.Gateway.Health;

/// <summary>
/// The profile validator's warm-up (ADR 0026): ready while it runs (submissions wait for it, they
/// are not refused), unready if it failed, since then no submission can be validated.
/// </summary>
public sealed class ValidatorWarmUpHealthCheck(WarmValidator validator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(validator.WarmUp.Status switch
        {
            TaskStatus.RanToCompletion => HealthCheckResult.Healthy("the profiles are compiled"),
            TaskStatus.Faulted or TaskStatus.Canceled => HealthCheckResult.Unhealthy("the profiles could not be compiled for validation"),
            _ => HealthCheckResult.Healthy("the profiles are being compiled: the first submissions wait for it"),
        });
}
