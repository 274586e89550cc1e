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
    /// (<see cref="Audit.AuditTreeBackfill"/>). SQL Server allows at most 1000 rows in one VALUES list
    /// and 2100 parameters in one command: callers stay at or under <see cref="MaxTreeNodesPerStatement"/>.
    /// </summary>
    public static string InsertTreeNodes(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, MaxTreeNodesPerStatement);
        var sql = new StringBuilder("""INSERT INTO "AuditTreeNodes" ("Level", "NodeIndex", "Hash") VALUES """);
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@l{i}, @i{i}, @h{i})");
        }
        return sql.ToString();
    }

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
}
