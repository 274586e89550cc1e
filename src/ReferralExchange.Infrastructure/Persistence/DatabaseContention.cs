using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// Bounded waits (issue 13 §4): whether the database is busy past <see cref="DatabaseOptions.BusyTimeout"/>,
/// the refusal a request gets then (503, Retry-After), and the state a health check reads
/// (<see cref="IsBusy"/>: the last write attempt timed out; <see cref="LastBusy"/>).
/// </summary>
public sealed class DatabaseContention(DatabaseOptions options, TimeProvider time, ILogger<DatabaseContention> logger)
{
    private long _lastBusyTicks;
    private int _busy;

    public TimeSpan BusyTimeout => options.BusyTimeout;

    public TimeSpan RetryAfter => options.RetryAfter;

    /// <summary>True from a write that timed out until the next one that commits.</summary>
    public bool IsBusy => Volatile.Read(ref _busy) == 1;

    public DateTimeOffset? LastBusy => Volatile.Read(ref _lastBusyTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void ReportCommitted() => Volatile.Write(ref _busy, 0);

    /// <summary>Records the timeout and returns the refusal to throw.</summary>
    public GatewayException Busy()
    {
        Volatile.Write(ref _lastBusyTicks, time.GetUtcNow().UtcTicks);
        if (Interlocked.Exchange(ref _busy, 1) == 0)
        {
            // One line when it starts, not one per refused request.
            logger.LogWarning("The database is busy past {BusyTimeout}: requests answer 503 until a write commits again", options.BusyTimeout);
        }
        return GatewayException.Unavailable("lock-error", "The database is busy; try again shortly", options.RetryAfter);
    }

    /// <summary>
    /// Whether an exception is the database saying it is locked or saturated: SQLITE_BUSY, SQLITE_LOCKED;
    /// SQL Server lock timeout 1222; PostgreSQL lock_not_available 55P03 (our lock_timeout), deadlock
    /// 40P01, query_canceled 57014 (statement timeout), or Npgsql's own timeout (command timeout,
    /// pool exhausted: a <see cref="TimeoutException"/> inside its NpgsqlException).
    /// </summary>
    public static bool IsBusyError(Exception? error) => error switch
    {
        null => false,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6,
        Npgsql.PostgresException pg => pg.SqlState is Npgsql.PostgresErrorCodes.LockNotAvailable or Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.QueryCanceled,
        Npgsql.NpgsqlException { InnerException: TimeoutException } => true,
        Microsoft.Data.SqlClient.SqlException sql => sql.Number is 1222 or -2,
        GatewayException { Kind: ErrorKind.Unavailable } => false,
        _ => IsBusyError(error.InnerException),
    };
}
