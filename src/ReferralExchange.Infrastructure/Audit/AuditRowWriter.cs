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
                command.AddNamed($"@s{i}", row.Sequence);
                command.AddNamed($"@t{i}", row.RecordedTicks);
                command.AddNamed($"@a{i}", row.Action);
                command.AddNamed($"@o{i}", row.Outcome);
                command.AddNamed($"@pa{i}", row.PartnerId);
                command.AddNamed($"@pt{i}", row.PatientId);
                command.AddNamed($"@pl{i}", row.Payload);
                command.AddNamed($"@ph{i}", row.PreviousHash);
                command.AddNamed($"@h{i}", row.Hash);
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
                command.AddNamed($"@l{i}", chunk[i].Node.Level);
                command.AddNamed($"@i{i}", chunk[i].Node.Index);
                command.AddNamed($"@h{i}", chunk[i].Hash);
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
}
