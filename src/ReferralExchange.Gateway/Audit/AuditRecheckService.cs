using System.Data.Common;
using Microsoft.Extensions.Options;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Gateway.Audit;

/// <summary>
/// Runs <see cref="AuditRecheck"/> once the gateway listens and the validator's warm-up is over
/// (ADR 0026: the two would share the cores with the first requests), at most
/// <see cref="WitnessOptions.RecheckCpuShare"/> of one core. A database error stops the round, not
/// the check: it starts over after a pause.
/// </summary>
public sealed class AuditRecheckService(AuditRecheck recheck, WarmValidator validator, IOptions<WitnessOptions> options, ILogger<AuditRecheckService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        // A failed warm-up is reported by its own health check; the re-check runs all the same.
        await validator.WarmUp.ContinueWith(_ => { }, stoppingToken, TaskContinuationOptions.None, TaskScheduler.Default);
        while (!recheck.IsDone && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await recheck.RunAsync(options.Value.RecheckCpuShare, stoppingToken);
                return;
            }
            catch (DbException error)
            {
                logger.LogWarning("Audit trail re-check interrupted ({Error}); it starts again in {Seconds} s", error.GetType().Name, RetryAfter.TotalSeconds);
                await Task.Delay(RetryAfter, stoppingToken);
            }
        }
    }
}
