using Microsoft.Extensions.Options;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Gateway.Audit;

/// <summary>
/// A graceful stop signs and witnesses a final checkpoint (issue 12 §5), so the records written
/// since the last scheduled one are not left unsigned. It runs in <see cref="IHostedLifecycleService.StoppedAsync"/>,
/// after the server has stopped taking requests (nothing can be appended after it), bounded by
/// <see cref="WitnessOptions.FinalCheckpointTimeout"/>. A kill -9 skips it: the next start signs them.
/// </summary>
public sealed class FinalCheckpointService(IServiceScopeFactory scopes, WitnessPublisher publisher, IOptions<WitnessOptions> options,
    ILogger<FinalCheckpointService> logger) : IHostedLifecycleService
{
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(options.Value.FinalCheckpointTimeout);
        try
        {
            await publisher.RetryPendingAsync(bounded.Token);
            using var scope = scopes.CreateScope();
            if (await scope.ServiceProvider.GetRequiredService<AuditCheckpointer>().CheckpointAsync(bounded.Token) is { } checkpoint)
            {
                logger.LogInformation("Final audit checkpoint signed at record {Sequence} (witnessed: {Witnessed})", checkpoint.Sequence, publisher.Pending is null);
            }
        }
        catch (CheckpointLeaseHeldException)
        {
            // Another replica signs (ADR 0020): the records this one wrote are in its next checkpoint.
        }
        catch (AuditIntegrityException error)
        {
            logger.LogWarning("No final audit checkpoint: {Reason}", error.Message);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("No final audit checkpoint: it took longer than {Timeout}", options.Value.FinalCheckpointTimeout);
        }
        catch (Exception error)
        {
            logger.LogError("No final audit checkpoint: {ExceptionType}", error.GetType().FullName);
        }
        // Not the host's stopping token: on a loaded machine the final checkpoint may have used up the
        // shutdown time, and a lease left held makes the other replicas wait for its expiry.
        using var release = new CancellationTokenSource(ReleaseTimeout);
        await ReleaseSignerLeaseAsync(release.Token);
    }

    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A clean stop hands the signer lease on at once, rather than after it expires (ADR 0020).</summary>
    private async Task ReleaseSignerLeaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<CheckpointSignerLease>().ReleaseAsync(
                scope.ServiceProvider.GetRequiredService<ReferralExchange.Infrastructure.Persistence.GatewayDbContext>(),
                scope.ServiceProvider.GetRequiredService<ReferralExchange.Infrastructure.Persistence.WriteGate>(), cancellationToken);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            logger.LogWarning("Checkpoint signer lease not released ({ExceptionType}): another replica takes over when it expires", error.GetType().FullName);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
