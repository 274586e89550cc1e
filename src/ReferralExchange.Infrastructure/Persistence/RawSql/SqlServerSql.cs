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
}
