using Microsoft.Extensions.Options;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Signs the audit chain head by count and by time (issue 5). A Key Vault outage delays
/// checkpoints; it never blocks requests, and the next poll tries again.
/// </summary>
public sealed class AuditCheckpointWorker(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time,
    ILogger<AuditCheckpointWorker> logger, Telemetry.AuditCheckpointLag lag) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.CheckpointPollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                // A checkpoint a witness missed last round is filed again first (issue 12 §2).
                await (scope.ServiceProvider.GetService<WitnessPublisher>()?.RetryPendingAsync(stoppingToken) ?? Task.FromResult(true));
                var checkpointer = scope.ServiceProvider.GetRequiredService<AuditCheckpointer>();
                var (pending, lastSignedAt) = await checkpointer.PendingAsync(stoppingToken);
                lag.Report(pending, lastSignedAt);
                var due = pending >= settings.CheckpointEveryRecords
                    || (pending > 0 && (lastSignedAt is null || time.GetUtcNow() - lastSignedAt >= settings.CheckpointEvery));
                if (due && await checkpointer.CheckpointAsync(stoppingToken) is { } checkpoint)
                {
                    logger.LogInformation("Audit checkpoint signed at record {Sequence} with {KeyId}", checkpoint.Sequence, checkpoint.KeyId);
                    lag.Report((await checkpointer.PendingAsync(stoppingToken)).Pending, checkpoint.SignedAt);
                }
            }
            catch (CheckpointLeaseHeldException)
            {
                // Another replica signs (ADR 0020); this one takes over if that lease runs out.
            }
            catch (AuditIntegrityException)
            {
                // The guard logged its one line when it found the problem; nothing is signed until a restart.
            }
            catch (WitnessUnavailableException error)
            {
                logger.LogWarning("Audit checkpoint postponed: {Reason}", error.Message);
            }
            catch (KeyVaultException error)
            {
                logger.LogWarning("Audit checkpoint postponed: {Reason}", error.Message);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError("Audit checkpoint failed: {ExceptionType}", error.GetType().FullName);
            }
        }
    }
}
