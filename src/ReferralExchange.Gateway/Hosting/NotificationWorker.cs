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
                using var scope = scopes.CreateScope();
                var dispatched = await scope.ServiceProvider.GetRequiredService<NotificationDispatchService>().DispatchDueAsync(stoppingToken);
                if (dispatched > 0)
                {
                    logger.LogInformation("Dispatched {Count} notifications", dispatched);
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
