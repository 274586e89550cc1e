using System.Security.Cryptography;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.Gateway.Health;

/// <summary>
/// Whether the checkpoint signer (a local key, or Azure Key Vault in production) answers: it signs
/// a fixed digest at most once a minute (a probe every few seconds would be a Key Vault operation
/// every few seconds) and reports the last answer. Degraded, not Unhealthy: without the signer
/// checkpoints are postponed, requests are still served and audited (issue 13 §5).
/// </summary>
public sealed class AuditSignerHealthCheck(IKeySigner signer, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan ProbeEvery = TimeSpan.FromMinutes(1);
    private static readonly byte[] ProbeDigest = SHA256.HashData("referral-exchange health probe"u8);

    private readonly SemaphoreSlim _probing = new(1, 1);
    private (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _probing.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < ProbeEvery)
            {
                return last.Result;
            }
            HealthCheckResult result;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await signer.SignDigestAsync(ProbeDigest, timeout.Token);
                result = HealthCheckResult.Healthy("the audit signer answered");
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The type only: a vault's error text is not for an unauthenticated-by-token probe.
                result = HealthCheckResult.Degraded($"the audit signer did not answer ({error.GetType().Name}); checkpoints are postponed");
            }
            _last = (time.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _probing.Release();
        }
    }
}
