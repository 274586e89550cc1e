using Microsoft.Data.Sqlite;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// Every row one template referral left in the database, read generically (column names from the
/// schema), so that a column another change adds is copied too: the rows of each table with a
/// <c>ReferralKey</c> column, and the audit records about its patient, in chain order.
/// </summary>
public sealed class TemplateSnapshot
{
    public const string AuditTable = "AuditRecords";

    private TemplateSnapshot(TemplateKind kind, string referralKey, IReadOnlyList<TableRows> tables, TableRows audit)
    {
        Kind = kind;
        ReferralKey = referralKey;
        Tables = tables;
        Audit = audit;
    }

    public TemplateKind Kind { get; }
    public string ReferralKey { get; }
    public IReadOnlyList<TableRows> Tables { get; }
    public TableRows Audit { get; }
    /// <summary>When the template referral was created (UTC ticks): clones are placed relative to it.</summary>
    public long CreatedTicks => (long)Tables.First(t => t.Table == "Referrals").Rows[0][Tables.First(t => t.Table == "Referrals").Index("CreatedTicks")]!;

    public static IReadOnlyList<string> ReferralTables(SqliteConnection connection) =>
        Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", r => r.GetString(0))
            .Where(table => Columns(connection, table).Contains("ReferralKey"))
            .ToList();

    public static TemplateSnapshot Read(SqliteConnection connection, TemplateWriter.Written written, IReadOnlyList<string> referralTables)
    {
        var referralKey = Query(connection, "SELECT ReferralKey FROM TaskIndex WHERE TaskId = $id", r => r.GetString(0), ("$id", written.TaskId)).Single();
        var tables = referralTables
            .Select(table => Rows(connection, table, "WHERE ReferralKey = $key", ("$key", referralKey)))
            .Where(t => t.Rows.Count > 0)
            .ToList();
        var audit = Rows(connection, AuditTable, "WHERE PatientId = $patient ORDER BY Sequence", ("$patient", written.PatientId));
        return new TemplateSnapshot(written.Kind, referralKey, tables, audit);
    }

    private static TableRows Rows(SqliteConnection connection, string table, string where, (string Name, object Value) parameter)
    {
        var columns = Columns(connection, table);
        var rows = Query(connection, $"SELECT {string.Join(", ", columns.Select(Quote))} FROM {Quote(table)} {where}", r =>
        {
            var values = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                values[i] = r.IsDBNull(i) ? null : r.GetValue(i) switch
                {
                    // Text is cut into a template once here; clones only render it.
                    string text => TextTemplate.Parse(text),
                    byte[] blob when table == AuditTable => new AuditRecordTemplate(blob),
                    var other => other,
                };
            }
            return values;
        }, parameter);
        return new TableRows(table, columns, rows);
    }

    public static IReadOnlyList<string> Columns(SqliteConnection connection, string table) =>
        Query(connection, $"SELECT name FROM pragma_table_info('{table}') ORDER BY cid", r => r.GetString(0));

    public static string Quote(string name) => "\"" + name + "\"";

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read()) list.Add(map(reader));
        return list;
    }
}

/// <summary>Rows of one table: values are <see cref="TextTemplate"/> for text, as read otherwise.</summary>
public sealed record TableRows(string Table, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    public int Index(string column) => Columns.ToList().IndexOf(column);
}
