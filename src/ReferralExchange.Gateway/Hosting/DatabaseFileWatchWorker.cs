using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Checks the SQLite file's identity between commits (<c>Gateway:Database:FileCheckInterval</c>,
/// 1 s), so a replaced or removed file trips the guard even while nothing is written: readiness
/// fails and the first write after it is refused instead of acknowledged.
/// </summary>
public sealed class DatabaseFileWatchWorker(DatabaseFileGuard guard, DatabaseOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.FileCheckInterval, time);
        try
        {
            while (guard.Check() && await timer.WaitForNextTickAsync(stoppingToken))
            {
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
