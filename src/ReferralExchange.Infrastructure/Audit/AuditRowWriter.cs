using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.RawSql;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Inserts audit records and the Merkle nodes they close with hand-written statements, in the
/// context's open transaction (ADR 0027). Every read appends two records and about as many nodes;
/// through EF's change tracker that was a SaveChanges of its own per read (entries, modification
/// commands, SQL generated each time), most of the group commit's work. The rows are the same:
/// insert-only, with no generated values and nothing that reads them back in the transaction.
/// <para>
/// Two shapes of the same rows (ADR 0031). On a server database a batch goes as multi-row
/// statements: one round trip per chunk. On SQLite, which has no round trip, a multi-row statement
/// costs time quadratic in its parameters: the parser looks each new <c>@name</c> up in the list
/// of those before it, and binding looks each one up again (<c>sqlite3_bind_parameter_index</c>),
/// so 200 records (1,800 parameters) took 23 ms. There, one single-row statement is prepared once
/// per batch and re-bound per row (sqlite.org/c3ref/stmt.html: prepare, bind, step, reset), 3 ms.
/// </para>
/// </summary>
internal static class AuditRowWriter
{
    public static async Task InsertAsync(GatewayDbContext db, IReadOnlyList<AuditRecordRow> records, IReadOnlyList<(TreeNode Node, byte[] Hash)> nodes,
        CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Audit rows are inserted directly only inside the caller's transaction");
        var chunkSize = PerRow(transaction) ? 1 : AuditSql.MaxAuditRecordsPerStatement;
        await using (var statement = new RowStatement(transaction))
        {
            foreach (var chunk in records.Chunk(chunkSize))
            {
                statement.Begin(AuditSql.InsertAuditRecords(chunk.Length));
                for (var i = 0; i < chunk.Length; i++)
                {
                    var row = chunk[i];
                    statement.Set($"@s{i}", row.Sequence);
                    statement.Set($"@t{i}", row.RecordedTicks);
                    statement.Set($"@a{i}", row.Action);
                    statement.Set($"@o{i}", row.Outcome);
                    statement.Set($"@pa{i}", row.PartnerId);
                    statement.Set($"@pt{i}", row.PatientId);
                    statement.Set($"@pl{i}", row.Payload);
                    statement.Set($"@ph{i}", row.PreviousHash);
                    statement.Set($"@h{i}", row.Hash);
                }
                await statement.ExecuteAsync(ct);
            }
        }
        await InsertNodesAsync(transaction, nodes, ct);
    }

    /// <summary>Merkle nodes only, in statements of at most <see cref="AuditSql.MaxTreeNodesPerStatement"/> rows (one on SQLite).</summary>
    public static async Task InsertNodesAsync(DbTransaction transaction, IReadOnlyList<(TreeNode Node, byte[] Hash)> nodes, CancellationToken ct)
    {
        await using var statement = new RowStatement(transaction);
        foreach (var chunk in nodes.Chunk(PerRow(transaction) ? 1 : AuditSql.MaxTreeNodesPerStatement))
        {
            statement.Begin(AuditSql.InsertTreeNodes(chunk.Length));
            for (var i = 0; i < chunk.Length; i++)
            {
                statement.Set($"@l{i}", chunk[i].Node.Level);
                statement.Set($"@i{i}", chunk[i].Node.Index);
                statement.Set($"@h{i}", chunk[i].Hash);
            }
            await statement.ExecuteAsync(ct);
        }
    }

    private static bool PerRow(DbTransaction transaction) => transaction.Connection is SqliteConnection;

    /// <summary>
    /// One command kept across executions while its text stays the same, so its parameters are made
    /// once and the provider keeps the statement it prepared (Microsoft.Data.Sqlite re-binds and resets
    /// it, learn.microsoft.com/dotnet/standard/data/sqlite/bulk-insert); a new text starts a new command.
    /// </summary>
    private sealed class RowStatement(DbTransaction transaction) : IAsyncDisposable
    {
        private DbCommand? command;
        private int next;

        public void Begin(string sql)
        {
            next = 0;
            if (command?.CommandText == sql)
            {
                return;
            }
            command?.Dispose();
            command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
        }

        /// <summary>The parameters of one execution, in the same order every time the text repeats.</summary>
        public void Set(string name, object? value)
        {
            var parameters = command!.Parameters;
            if (next < parameters.Count)
            {
                var parameter = parameters[next];
                if (parameter.ParameterName != name)
                {
                    throw new InvalidOperationException($"Audit row parameter {name} set out of order");
                }
                parameter.Value = value ?? DBNull.Value;
            }
            else
            {
                command.AddNamed(name, value);
            }
            next++;
        }

        public Task<int> ExecuteAsync(CancellationToken ct) => command!.ExecuteNonQueryAsync(ct);

        public async ValueTask DisposeAsync()
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }
    }
}
