using System.Globalization;
using System.Text;

namespace ReferralExchange.Infrastructure.Persistence.RawSql;

/// <summary>Statements only the SQL Server path runs. Checked by the T-SQL parser test; never run against a server here (README).</summary>
public static class SqlServerSql
{
    /// <summary>
    /// Serialises audit-chain appends across every gateway on one database: an exclusive application
    /// lock owned by the transaction (released at commit or rollback, or when a dead process's session
    /// ends), waiting at most 30 s. sp_getapplock: SQL Server 2022 Transact-SQL reference.
    /// </summary>
    public const string AuditChainLock = "EXEC sp_getapplock @Resource = 'rx-audit-chain', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 30000;";

    /// <summary>
    /// Leases the listed notifications (<c>@d0 … @d{n-1}</c>, with <c>@owner</c>, <c>@until</c>, <c>@pending</c>,
    /// <c>@now</c>) that are pending, free or expired, and not locked by another session: <c>READPAST</c>
    /// passes over a row another replica is claiming or marking instead of waiting for it (issue 15 §3,
    /// as <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL). <c>READCOMMITTEDLOCK</c> because READPAST is refused
    /// under read-committed snapshot (Azure SQL's default) without it; <c>ROWLOCK</c> so that skipping
    /// stays per row. Table hints: SQL Server 2022 Transact-SQL reference. Callers send at most
    /// <see cref="MaxNotificationsPerClaim"/> ids per statement.
    /// </summary>
    public static string ClaimNotificationLeases(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxNotificationsPerClaim);
        var sql = new StringBuilder("""
            UPDATE "Notifications" WITH (ROWLOCK, READPAST, READCOMMITTEDLOCK)
            SET "LeaseOwner" = @owner, "LeaseExpiresTicks" = @until
            WHERE "Status" = @pending AND ("LeaseOwner" IS NULL OR "LeaseExpiresTicks" <= @now) AND "DeliveryId" IN (
            """);
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"@d{i}");
        }
        return sql.Append(')').ToString();
    }

    /// <summary>500 ids + 4 parameters, under SQL Server's 2100 parameters per command.</summary>
    public const int MaxNotificationsPerClaim = 500;
}
