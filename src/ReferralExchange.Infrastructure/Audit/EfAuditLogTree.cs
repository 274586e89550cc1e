using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>The audit log's stored tree and checkpoints for proofs: O(log n) node rows and one checkpoint row per request.</summary>
public sealed class EfAuditLogTree(GatewayDbContext db) : IAuditLogTree
{
    private readonly AuditTreeStore _nodes = new(db);

    public Task<IReadOnlyDictionary<TreeNode, byte[]>> GetAsync(IReadOnlyCollection<TreeNode> nodes, CancellationToken ct) => _nodes.GetAsync(nodes, ct);

    public async Task<(long TreeSize, string Note)?> LatestCheckpointAsync(CancellationToken ct)
    {
        var latest = await db.AuditCheckpoints.AsNoTracking()
            .Where(c => c.Note != null).OrderByDescending(c => c.Sequence)
            .Select(c => new { c.Sequence, c.Note })
            .FirstOrDefaultAsync(ct);
        return latest is null ? null : (latest.Sequence, latest.Note!);
    }

    public Task<byte[]?> CanonicalRecordAsync(long sequence, CancellationToken ct) =>
        db.AuditRecords.AsNoTracking().Where(r => r.Sequence == sequence).Select(r => r.Payload).FirstOrDefaultAsync(ct);
}
