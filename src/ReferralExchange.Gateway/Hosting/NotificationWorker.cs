using ReferralExchange.Core.Notifications;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>Polls the notification outbox and delivers what is due; the outbox survives restarts, so this worker has no state.</summary>
public sealed class NotificationWorker(IServiceScopeFactory scopes, NotificationOptions options, TimeProvider time, ILogger<NotificationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PollInterval, time);
        do
        {
            try
            {
                IReadOnlyList<PendingNotification> due;
                using (var scope = scopes.CreateScope())
                {
                    due = await scope.ServiceProvider.GetRequiredService<NotificationDispatchService>().DueAsync(stoppingToken);
                }
                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = stoppingToken },
                    async (notification, ct) =>
                    {
                        // One scope (one DbContext) per delivery: contexts are not shared across threads.
                        using var scope = scopes.CreateScope();
                        using var span = Telemetry.DeliveryTracing.Start(notification);
                        await scope.ServiceProvider.GetRequiredService<NotificationDispatchService>().DispatchAsync(notification, ct);
                    });
                if (due.Count > 0)
                {
                    logger.LogInformation("Dispatched {Count} notifications", due.Count);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError("Notification dispatch failed: {ExceptionType}", error.GetType().FullName);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
