using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.PostgreSql;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Adds audit records to the chain inside the caller's open transaction, after the current head.
/// Callers hold the write gate, so the head cannot move underneath; on a server database the
/// unique index on PreviousHash turns a race into a failed (retryable) transaction, never a fork.
/// Each record is also a leaf of the log's Merkle tree (ADR 0011): its leaf hash and every complete
/// subtree it closes are stored in the same transaction, from the O(log n) frontier nodes read here.
/// Within a group-commit batch only the first append reads head and frontier (<see cref="BatchAuditTip"/>).
/// </summary>
public static class AuditAppender
{
    public static async Task AppendAsync(GatewayDbContext db, IEnumerable<AuditRecord> records, CancellationToken ct)
    {
        // Inside a group-commit batch, every append after the first continues from the tip in memory.
        var tip = db.BatchAuditTip?.Resume() ?? await ReadTipAsync(db, ct);
        var (sequence, previous, tree) = tip;
        var rows = new List<AuditRecordRow>();
        var nodes = new List<(TreeNode Node, byte[] Hash)>();
        foreach (var record in records)
        {
            sequence++;
            var payload = AuditCanonicalForm.Write(sequence, previous, record);
            var hash = AuditChain.Hash(payload);
            rows.Add(new AuditRecordRow
            {
                Sequence = sequence,
                RecordedTicks = record.Recorded.UtcTicks,
                Action = record.Action,
                Outcome = (int)record.Outcome,
                PartnerId = record.PartnerId,
                PatientId = record.PatientId,
                Payload = payload,
                PreviousHash = previous,
                Hash = hash,
            });
            // RFC 9162 §2.1.1: the leaf is the record's canonical bytes exactly as stored.
            nodes.AddRange(tree.Append(MerkleHash.Leaf(payload)));
            previous = hash;
        }
        if (db.Database.CurrentTransaction is not null)
        {
            // In the caller's transaction (every group-commit unit): written now, committed or rolled back with it.
            await AuditRowWriter.InsertAsync(db, rows, nodes, ct);
        }
        else
        {
            // Otherwise they go with the caller's SaveChanges, in its transaction.
            db.AuditRecords.AddRange(rows);
            new AuditTreeStore(db).Add(nodes);
        }
        if (db.BatchAuditTip is { } kept)
        {
            kept.Pending = new AuditChainTip(sequence, previous, tree);
        }
    }

    /// <summary>Takes the chain lock of a server database, then reads the head and the frontier after it.</summary>
    private static async Task<AuditChainTip> ReadTipAsync(GatewayDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlServer())
        {
            // Several gateway instances may share a SQL Server: an exclusive application lock held
            // until the transaction ends serialises chain appends across all of them.
            await db.Database.ExecuteSqlRawAsync(Persistence.RawSql.SqlServerSql.AuditChainLock, ct);
        }
        else if (db.Database.IsNpgsql())
        {
            // The same on PostgreSQL (ADR 0017): a transaction-scoped advisory lock on the chain head.
            await PostgreSqlLocks.LockAsync(db, PostgreSqlLocks.AuditChain, ct);
        }
        var head = await db.AuditRecords.AsNoTracking()
            .OrderByDescending(r => r.Sequence)
            .Select(r => new { r.Sequence, r.Hash })
            .FirstOrDefaultAsync(ct);
        var sequence = head?.Sequence ?? 0;
        return new AuditChainTip(sequence, head?.Hash ?? AuditChain.Genesis, await new AuditTreeStore(db).ResumeAsync(sequence, ct));
    }
}
