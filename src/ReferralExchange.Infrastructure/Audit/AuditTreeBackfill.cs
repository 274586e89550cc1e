using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Builds the stored Merkle tree for records written before it existed (ADR 0011); later records
/// get their nodes in their own append's transaction, so this only ever runs once. It streams the
/// records in pages, keeps only the O(log n) frontier in memory, and inserts nodes with multi-row
/// statements, one transaction per page (so it can stop anywhere and resume where it stopped).
/// </summary>
public static class AuditTreeBackfill
{
    private const int PageSize = 20_000;

    /// <returns>How many records were added to the tree.</returns>
    public static async Task<long> RunAsync(GatewayDbContext db, CancellationToken ct)
    {
        var trees = new AuditTreeStore(db);
        var leaves = await trees.LeafCountAsync(ct);
        var head = await db.AuditRecords.AsNoTracking().MaxAsync(r => (long?)r.Sequence, ct) ?? 0;
        if (leaves >= head)
        {
            return 0;
        }
        var tree = await trees.ResumeAsync(leaves, ct);
        var start = leaves;
        while (tree.Size < head)
        {
            var after = tree.Size;
            var page = await db.AuditRecords.AsNoTracking()
                .Where(r => r.Sequence > after).OrderBy(r => r.Sequence).Take(PageSize)
                .Select(r => new { r.Sequence, r.Payload })
                .ToListAsync(ct);
            var closed = new List<(TreeNode Node, byte[] Hash)>(page.Count * 2);
            foreach (var record in page)
            {
                if (record.Sequence != tree.Size + 1)
                {
                    // A gap is not ours to paper over: the leaf indexes would shift under every later proof.
                    throw new InvalidOperationException($"audit record {tree.Size + 1} is missing: the trail was altered; run rx audit verify");
                }
                closed.AddRange(tree.Append(MerkleHash.Leaf(record.Payload)));
            }
            await InsertAsync(db, closed, ct);
        }
        return tree.Size - start;
    }

    private static async Task InsertAsync(GatewayDbContext db, List<(TreeNode Node, byte[] Hash)> nodes, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await AuditRowWriter.InsertNodesAsync(transaction.GetDbTransaction(), nodes, ct);
        await transaction.CommitAsync(ct);
    }
}
