using Microsoft.Data.Sqlite;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// What issue 12's attacker did with sqlite3 on a stopped gateway's database: with the triggers
/// dropped, edit one record and re-chain every record after it (payload, previous hash, hash), so
/// the chain verifies on its own; delete checkpoint rows; cut the trail short.
/// </summary>
public sealed class ChainForgery(string databasePath)
{
    /// <summary>Rewrites who asked for record <paramref name="sequence"/> and re-hashes the chain from it to the end.</summary>
    public void RewriteFrom(long sequence)
    {
        using var connection = Open();
        var rows = new List<(long Sequence, byte[] Payload)>();
        string previous;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT \"PreviousHash\" FROM \"AuditRecords\" WHERE \"Sequence\" = @s";
            read.Parameters.AddWithValue("@s", sequence);
            previous = (string)read.ExecuteScalar()!;
            read.CommandText = "SELECT \"Sequence\", \"Payload\" FROM \"AuditRecords\" WHERE \"Sequence\" >= @s ORDER BY \"Sequence\"";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }
        using var transaction = connection.BeginTransaction();
        foreach (var (seq, payload) in rows)
        {
            var record = AuditCanonicalForm.Read(payload).Record;
            if (seq == sequence)
            {
                record = record with { RequestId = "forged-" + record.RequestId };
            }
            var forged = AuditCanonicalForm.Write(seq, previous, record);
            var hash = AuditChain.Hash(forged);
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE \"AuditRecords\" SET \"Payload\" = @p, \"PreviousHash\" = @prev, \"Hash\" = @h WHERE \"Sequence\" = @s";
            update.Parameters.AddWithValue("@p", forged);
            update.Parameters.AddWithValue("@prev", previous);
            update.Parameters.AddWithValue("@h", hash);
            update.Parameters.AddWithValue("@s", seq);
            update.ExecuteNonQuery();
            previous = hash;
        }
        transaction.Commit();
    }

    public void DeleteCheckpoints(string where = "1 = 1") => Execute($"DELETE FROM \"AuditCheckpoints\" WHERE {where}");

    public void TruncateAfter(long sequence) => Execute($"DELETE FROM \"AuditRecords\" WHERE \"Sequence\" > {sequence}");

    public void DropTriggers() => Execute(AuditTampering.DropProtectionsSql);

    /// <summary>What a careful forger does last: puts the append-only triggers back, so the start-up trigger check finds nothing.</summary>
    public void RestoreTriggers()
    {
        foreach (var (name, sql) in ReferralExchange.Infrastructure.Audit.AppendOnlyTriggers.Expected)
        {
            Execute($"DROP TRIGGER IF EXISTS \"{name}\"; {sql};");
        }
    }

    public long Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L);
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        return connection;
    }
}
