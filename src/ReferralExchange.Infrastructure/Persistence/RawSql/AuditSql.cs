using System.Globalization;
using System.Text;

namespace ReferralExchange.Infrastructure.Persistence.RawSql;

/// <summary>
/// The audit trail's hand-written statements, run on every provider (SQLite, SQL Server, PostgreSQL).
/// They are plain SQL-92: double-quoted identifiers (SQL Server sessions opened by SqlClient have
/// QUOTED_IDENTIFIER ON) and named parameters. Written here, not at the call site, so that
/// <see cref="RawSqlCatalogue"/> can hand every one of them to the T-SQL parser test.
/// </summary>
public static class AuditSql
{
    /// <summary>The chain in order, after a sequence number (<c>@after</c>): <see cref="Audit.AuditLogReader"/>.</summary>
    public const string ReadChainAfter = """
        SELECT "Sequence", "Payload", "PreviousHash", "Hash", "RecordedTicks", "PartnerId", "PatientId", "Action", "Outcome"
        FROM "AuditRecords" WHERE "Sequence" > @after ORDER BY "Sequence"
        """;

    /// <summary>Every stored resource version with its content hash: <see cref="Audit.ResourceCoverageVerifier"/>.</summary>
    public const string ReadResourceVersions = """SELECT "ResourceType", "ResourceId", "VersionId", "Json", "ContentHash" FROM "ResourceVersions" """;

    /// <summary>Every resource's current version: <see cref="Audit.ResourceCoverageVerifier"/>.</summary>
    public const string ReadResourceHeads = """SELECT "ResourceType", "ResourceId", "CurrentVersion" FROM "ResourceHeads" """;

    /// <summary>
    /// Inserts <paramref name="rows"/> Merkle tree nodes in one statement, parameters <c>@l{i}, @i{i}, @h{i}</c>
    /// (<see cref="Audit.AuditTreeBackfill"/>, <see cref="Audit.AuditRowWriter"/>). SQL Server allows at most 1000 rows in one VALUES list
    /// and 2100 parameters in one command: callers stay at or under <see cref="MaxTreeNodesPerStatement"/>.
    /// </summary>
    public static string InsertTreeNodes(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxTreeNodesPerStatement);
        return Built(NodeInserts, rows, static n =>
        {
            var sql = new StringBuilder("""INSERT INTO "AuditTreeNodes" ("Level", "NodeIndex", "Hash") VALUES """);
            for (var i = 0; i < n; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@l{i}, @i{i}, @h{i})");
            }
            return sql.ToString();
        });
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> audit records in one statement, parameters
    /// <c>@s{i}, @t{i}, @a{i}, @o{i}, @pa{i}, @pt{i}, @pl{i}, @ph{i}, @h{i}</c> (<see cref="Audit.AuditRowWriter"/>).
    /// Callers stay at or under <see cref="MaxAuditRecordsPerStatement"/>.
    /// </summary>
    public static string InsertAuditRecords(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxAuditRecordsPerStatement);
        return Built(RecordInserts, rows, static n =>
        {
            var sql = new StringBuilder("""INSERT INTO "AuditRecords" ("Sequence", "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", "PreviousHash", "Hash") VALUES """);
            for (var i = 0; i < n; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@s{i}, @t{i}, @a{i}, @o{i}, @pa{i}, @pt{i}, @pl{i}, @ph{i}, @h{i})");
            }
            return sql.ToString();
        });
    }

    /// <summary>200 rows × 9 parameters = 1800, under SQL Server's 2100-parameter limit.</summary>
    public const int MaxAuditRecordsPerStatement = 200;

    /// <summary>Reads <paramref name="nodes"/> Merkle tree nodes by (level, index), parameters <c>@l{i}, @i{i}</c> (<see cref="Audit.AuditTreeStore"/>).</summary>
    public static string SelectTreeNodes(int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nodes, MaxTreeNodesPerStatement);
        var sql = new StringBuilder("""SELECT "Level", "NodeIndex", "Hash" FROM "AuditTreeNodes" WHERE """);
        for (var i = 0; i < nodes; i++)
        {
            sql.Append(i == 0 ? "" : " OR ").Append(CultureInfo.InvariantCulture, $"(\"Level\" = @l{i} AND \"NodeIndex\" = @i{i})");
        }
        return sql.ToString();
    }

    /// <summary>500 rows × 3 parameters = 1500, under SQL Server's 2100-parameter and 1000-row limits.</summary>
    public const int MaxTreeNodesPerStatement = 500;

    // Every read appends two records and a few nodes, an inbox page one record per patient: the
    // small shapes are built once (a lost race builds the same text twice, which is harmless).
    private static readonly string?[] RecordInserts = new string?[32];
    private static readonly string?[] NodeInserts = new string?[32];

    private static string Built(string?[] cache, int rows, Func<int, string> build) =>
        rows > cache.Length ? build(rows) : cache[rows - 1] ??= build(rows);
}
