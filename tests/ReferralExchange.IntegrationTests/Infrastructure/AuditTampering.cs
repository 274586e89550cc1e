using System.Data.Common;
using Microsoft.Data.Sqlite;
using ReferralExchange.Infrastructure.Audit;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// What an attacker with the database file can do: drop the append-only triggers (and the
/// chain-link guard) and then edit, delete, swap or insert rows with raw SQL.
/// </summary>
public sealed class AuditTampering(Func<bool, DbConnection> open)
{
    public AuditTampering(string databasePath)
        : this(readOnly => Sqlite(databasePath, readOnly))
    {
    }

    /// <summary>On the gateway's own database, SQLite or PostgreSQL (as the tables' owner).</summary>
    public AuditTampering(GatewayFixture gateway) : this(readOnly => gateway.OpenDatabase(readOnly))
    {
    }

    public void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = open(false);
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    public void DropProtections() => Execute(DropProtectionsSql);

    /// <summary>
    /// Every trigger the gateway checks for (<see cref="AppendOnlyTriggers.Expected"/>, so a new guard is
    /// dropped here too), and the anti-fork index that older SQLite files still have (ADR 0031).
    /// </summary>
    public static string DropProtectionsSql { get; } = string.Concat(AppendOnlyTriggers.Expected.Keys
        .Select(name => $"DROP TRIGGER IF EXISTS \"{name}\"; ")) + "DROP INDEX IF EXISTS \"IX_AuditRecords_PreviousHash\";";

    public T Scalar<T>(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = open(true);
        using var command = Command(connection, sql, parameters);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbConnection Sqlite(string databasePath, bool readOnly)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};{(readOnly ? "Mode=ReadOnly;" : "")}Pooling=False");
        connection.Open();
        return connection;
    }

    private static DbCommand Command(DbConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>
    /// Rebuilds the audit table without its constraints (as sqlite3 lets anyone do), so a column
    /// can then hold a NULL, a duplicate sequence or any type at all.
    /// </summary>
    public void StripAuditTableConstraints()
    {
        DropProtections();
        Execute("""
            CREATE TABLE "AuditRecordsLoose" AS SELECT * FROM "AuditRecords";
            DROP TABLE "AuditRecords";
            ALTER TABLE "AuditRecordsLoose" RENAME TO "AuditRecords";
            """);
    }

    public long Head => Scalar<long>("SELECT MAX(\"Sequence\") FROM \"AuditRecords\"");
}
