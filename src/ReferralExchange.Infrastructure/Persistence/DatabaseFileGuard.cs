using Microsoft.Extensions.Logging;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// No acknowledgement without durability (issue 13 §2): the SQLite file the gateway opened must
/// still be the file at its path. SQLite keeps writing to a file that was unlinked or renamed over
/// (it holds it open), so commits would succeed into data no restart will see. The identity
/// (<see cref="FileIdentity"/>) is taken after migration and compared at every write-gate entry,
/// after every group commit, and on a timer; once it differs the guard trips for good (the
/// process cannot reopen safely under its pooled connections): writes answer 503 until restart.
/// A health check reads <see cref="IsIntact"/> and <see cref="Problem"/>.
/// </summary>
public sealed class DatabaseFileGuard(string databasePath, ILogger<DatabaseFileGuard> logger)
{
    private readonly Lock _lock = new();
    private FileIdentity? _expected;
    private string? _problem;

    public string DatabasePath => databasePath;

    /// <summary>False once the file was found missing or replaced; stays false until restart.</summary>
    public bool IsIntact => Volatile.Read(ref _problem) is null;

    /// <summary>What was found, for the log and the readiness check; null while intact.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    /// <summary>Records the identity of the file just opened and migrated (start-up).</summary>
    public void Capture()
    {
        lock (_lock)
        {
            _expected = FileIdentity.Of(databasePath)
                ?? throw new InvalidOperationException($"The database file {databasePath} is not there after migration");
        }
    }

    /// <summary>Compares the file at the path with the one captured; trips (one log line) on a difference.</summary>
    public bool Check()
    {
        if (!IsIntact || _expected is not { } expected)
        {
            return IsIntact;
        }
        var now = FileIdentity.Of(databasePath);
        if (now == expected)
        {
            return true;
        }
        lock (_lock)
        {
            if (_problem is null)
            {
                _problem = now is null
                    ? $"the database file {databasePath} was removed while the gateway had it open"
                    : $"the database file {databasePath} was replaced (file {expected} is open, the path now names {now})";
                // Not "Path": the log enricher drops that property (it carries request paths elsewhere).
                logger.LogCritical("Failing closed: {Problem}; writes answer 503 until the gateway is restarted on a sound database (Gateway:DataDirectory, Gateway:DatabaseFile)", _problem);
            }
        }
        return false;
    }

    /// <summary>Throws the 503 refusal if the file is not the one captured.</summary>
    public void EnsureIntact()
    {
        if (!Check())
        {
            throw Refusal();
        }
    }

    /// <summary>The 503 answer while the file is not intact. No Retry-After: it takes the operator, not time.</summary>
    public static GatewayException Refusal() => GatewayException.Unavailable("transient",
        "The gateway cannot store data safely right now and accepts no writes; the operator has been alerted", retryAfter: null);
}
