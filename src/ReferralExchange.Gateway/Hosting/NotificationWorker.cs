using ReferralExchange.Core.Notifications;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Polls the notification outbox, claims runs (leased rows, ADR 0014) and delivers them, several runs
/// at once, each in its own scope. The outbox holds all state, so this worker holds none: a round that
/// delivered something is followed at once by another (a backlog drains at full speed after an outage),
/// otherwise it waits for the next poll. On stop it gives back the leases it still holds, so another
/// process need not wait for them to expire.
/// </summary>
public sealed class NotificationWorker(IServiceScopeFactory scopes, NotificationOptions options, NotificationClock clock, NotificationLeaseOwner owner,
    ILogger<NotificationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval, clock.Time);
        try
        {
            do
            {
                while (await RoundAsync(stoppingToken) > 0 && !stoppingToken.IsCancellationRequested)
                {
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            await ReleaseLeasesAsync();
        }
    }

    /// <returns>How many notifications were delivered.</returns>
    private async Task<int> RoundAsync(CancellationToken stoppingToken)
    {
        try
        {
            IReadOnlyList<NotificationRun> runs;
            using (var scope = scopes.CreateScope())
            {
                runs = await scope.ServiceProvider.GetRequiredService<NotificationDispatchService>().ClaimAsync(stoppingToken);
            }
            var delivered = 0;
            await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = stoppingToken },
                async (run, ct) =>
                {
                    // One scope (one DbContext) per run: contexts are not shared across threads.
                    using var scope = scopes.CreateScope();
                    Interlocked.Add(ref delivered, await scope.ServiceProvider.GetRequiredService<NotificationDispatchService>().DeliverAsync(run, ct));
                });
            if (runs.Count > 0)
            {
                logger.LogInformation("Notification round: {Runs} runs claimed, {Delivered} delivered", runs.Count, delivered);
            }
            return delivered;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError("Notification dispatch failed: {ExceptionType}", error.GetType().FullName);
            return 0;
        }
    }

    private async Task ReleaseLeasesAsync()
    {
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<INotificationStore>().ReleaseAsync(owner.Id, null, CancellationToken.None);
        }
        catch (Exception error)
        {
            // Not fatal: the leases expire after Gateway:Notifications:LeaseDuration and another process takes the rows.
            logger.LogWarning("Could not give back notification leases at stop: {ExceptionType}", error.GetType().FullName);
        }
    }
}
