using Microsoft.EntityFrameworkCore;

namespace ReferralExchange.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// Transaction-scoped advisory locks (PostgreSQL 15 §9.27.10 <c>pg_advisory_xact_lock</c>): held until
/// the transaction commits or rolls back, across every process on the database, with nothing to
/// release by hand and nothing left behind by a process that dies (its transaction ends with its
/// connection). The keys are fixed 64-bit numbers, one per thing serialised.
/// </summary>
public static class PostgreSqlLocks
{
    /// <summary>The audit chain's head: "RXAUDIT" in ASCII.</summary>
    public const long AuditChain = 0x0052_5841_5544_4954;

    /// <summary>Applying the runtime role's grants (concurrent GRANTs on one table can fail with "tuple concurrently updated").</summary>
    public const long RuntimeGrants = 0x0052_5847_5241_4E54;

    /// <summary>
    /// Serialises chain appends: the caller reads the head only after this returns, so two replicas can
    /// never both append after the same record. Waits at most the session's lock_timeout, else 30 s (as SQL Server's applock does).
    /// </summary>
    public static async Task LockAsync(GatewayDbContext db, long key, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            // Outside a transaction the lock would end with its own statement and serialise nothing.
            throw new InvalidOperationException("an advisory transaction lock needs an open transaction");
        }
        // The gateway's connections carry its busy timeout as lock_timeout (a held lock answers 503);
        // a connection without one (tools, the owner's migration) waits 30 s, not forever.
        await db.Database.ExecuteSqlRawAsync("SELECT set_config('lock_timeout', '30s', true) WHERE current_setting('lock_timeout') = '0'", ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
    }
}
