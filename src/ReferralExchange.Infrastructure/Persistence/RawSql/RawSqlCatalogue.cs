namespace ReferralExchange.Infrastructure.Persistence.RawSql;

/// <summary>One hand-written statement as the gateway sends it (parameters named, not filled in).</summary>
public sealed record RawSqlStatement(string Name, string Sql);

/// <summary>
/// Every hand-written SQL statement the SQL Server path can run, in every shape it is built in.
/// SQL Server cannot run on our machines, so the T-SQL parser test (tests/ReferralExchange.SqlServer.Tests)
/// parses each of these instead, and a second test fails when a raw SQL call appears in the source
/// that does not take its text from <see cref="AuditSql"/> or <see cref="SqlServerSql"/>.
/// LINQ queries are not here: EF's SQL Server provider writes those.
/// </summary>
public static class RawSqlCatalogue
{
    /// <summary>The classes whose statements the catalogue covers; a raw SQL call site must name one of them.</summary>
    public static IReadOnlyList<Type> Sources { get; } = [typeof(AuditSql), typeof(SqlServerSql)];

    public static IReadOnlyList<RawSqlStatement> SqlServer { get; } =
    [
        new(nameof(SqlServerSql.AuditChainLock), SqlServerSql.AuditChainLock),
        new(nameof(AuditSql.ReadChainAfter), AuditSql.ReadChainAfter),
        new(nameof(AuditSql.ReadResourceVersions), AuditSql.ReadResourceVersions),
        new(nameof(AuditSql.ReadResourceHeads), AuditSql.ReadResourceHeads),
        // The built statements at their smallest, a middle size and the largest a caller sends.
        .. new[] { 1, 2, AuditSql.MaxTreeNodesPerStatement }.SelectMany(n => new RawSqlStatement[]
        {
            new($"{nameof(AuditSql.InsertTreeNodes)}({n})", AuditSql.InsertTreeNodes(n)),
            new($"{nameof(AuditSql.SelectTreeNodes)}({n})", AuditSql.SelectTreeNodes(n)),
        }),
        .. new[] { 1, 2, AuditSql.MaxAuditRecordsPerStatement }.Select(n =>
            new RawSqlStatement($"{nameof(AuditSql.InsertAuditRecords)}({n})", AuditSql.InsertAuditRecords(n))),
        .. new[] { 1, 2, SqlServerSql.MaxNotificationsPerClaim }.Select(n =>
            new RawSqlStatement($"{nameof(SqlServerSql.ClaimNotificationLeases)}({n})", SqlServerSql.ClaimNotificationLeases(n))),
    ];

    /// <summary>The members each entry was made from (a const or a builder), so a test can find members not in <see cref="SqlServer"/>.</summary>
    public static IEnumerable<string> MemberNames => SqlServer.Select(s => s.Name.Split('(')[0]).Distinct(StringComparer.Ordinal);
}
