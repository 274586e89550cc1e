using System.Data.Common;
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
/// </summary>
internal static class AuditRowWriter
{
    public static async Task InsertAsync(GatewayDbContext db, IReadOnlyList<AuditRecordRow> records, IReadOnlyList<(TreeNode Node, byte[] Hash)> nodes,
        CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Audit rows are inserted directly only inside the caller's transaction");
        foreach (var chunk in records.Chunk(AuditSql.MaxAuditRecordsPerStatement))
        {
            await using var command = Command(transaction);
            for (var i = 0; i < chunk.Length; i++)
            {
                var row = chunk[i];
                Add(command, $"@s{i}", row.Sequence);
                Add(command, $"@t{i}", row.RecordedTicks);
                Add(command, $"@a{i}", row.Action);
                Add(command, $"@o{i}", row.Outcome);
                Add(command, $"@pa{i}", row.PartnerId);
                Add(command, $"@pt{i}", (object?)row.PatientId ?? DBNull.Value);
                Add(command, $"@pl{i}", row.Payload);
                Add(command, $"@ph{i}", row.PreviousHash);
                Add(command, $"@h{i}", row.Hash);
            }
            command.CommandText = AuditSql.InsertAuditRecords(chunk.Length);
            await command.ExecuteNonQueryAsync(ct);
        }
        await InsertNodesAsync(transaction, nodes, ct);
    }

    /// <summary>Merkle nodes only, in statements of at most <see cref="AuditSql.MaxTreeNodesPerStatement"/> rows.</summary>
    public static async Task InsertNodesAsync(DbTransaction transaction, IReadOnlyList<(TreeNode Node, byte[] Hash)> nodes, CancellationToken ct)
    {
        foreach (var chunk in nodes.Chunk(AuditSql.MaxTreeNodesPerStatement))
        {
            await using var command = Command(transaction);
            for (var i = 0; i < chunk.Length; i++)
            {
                Add(command, $"@l{i}", chunk[i].Node.Level);
                Add(command, $"@i{i}", chunk[i].Node.Index);
                Add(command, $"@h{i}", chunk[i].Hash);
            }
            command.CommandText = AuditSql.InsertTreeNodes(chunk.Length);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbCommand Command(DbTransaction transaction)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
