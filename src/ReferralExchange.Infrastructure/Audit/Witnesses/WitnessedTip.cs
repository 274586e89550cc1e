using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Core.Audit.Witnessing;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// Where the integrity guard may start instead of the first record (ADR 0026): the newest witnessed
/// checkpoint. The stored tree (in the database, so not trusted) offers the frontier at that size,
/// the consistency proofs to every other witness's checkpoint and the inclusion proof of the last
/// record; each is checked against the witnessed, signed roots with the RFC 9162 algorithms
/// (§2.1.3.2, §2.1.4.2), so a rewritten node or record cannot pass: a frontier that hashes to the
/// signed root is the witnessed tree's (SHA-256 being second-preimage resistant). Anything that
/// does not hold sends the guard back to a full pass, which names what is wrong.
/// </summary>
public static class WitnessedTip
{
    /// <returns>A pass standing at the newest witnessed size, or null when the guard must read every record.</returns>
    public static async Task<TrailPass?> ResumeAsync(GatewayDbContext db, WitnessedCheckpointSet witnessed, CancellationToken ct)
    {
        if (witnessed.Latest is not { } newest || newest.Checkpoint.Checkpoint.Size == 0)
        {
            return null;
        }
        var size = newest.Checkpoint.Checkpoint.Size;
        var root = newest.Checkpoint.Checkpoint.RootHash;
        var store = new AuditTreeStore(db);
        try
        {
            var nodes = CompactRange.FrontierOf(size);
            var stored = await store.GetAsync(nodes.ToList(), ct);
            if (stored.Count != nodes.Count)
            {
                return null;
            }
            var frontier = new TreeFrontier(size, nodes.Select(node => (node, stored[node])).ToList());
            if (!frontier.ToCompactRange().Root().AsSpan().SequenceEqual(root))
            {
                return null;
            }
            foreach (var (earlierSize, earlierRoot) in witnessed.Roots)
            {
                if (earlierSize < size && !await ConsistentAsync(store, earlierSize, earlierRoot, size, root, ct))
                {
                    return null;
                }
            }
            if (await LastRecordAsync(db, size, ct) is not { } last || AuditVerifier.Check(last, size, expectedPrevious: null) is not null)
            {
                return null;
            }
            var inclusion = await MerkleProofs.InclusionAsync(size - 1, size, store, ct);
            if (!MerkleVerifier.VerifyInclusion(size - 1, size, MerkleHash.Leaf(last.Payload), inclusion, root))
            {
                return null;
            }
            // The last record is proven in the witnessed tree, so its hash is the link the next record must carry.
            return new TrailPass(frontier, last.Hash, witnessed);
        }
        catch (MissingTreeNodeException)
        {
            return null;
        }
    }

    /// <summary>Whether the tree of <paramref name="oldSize"/> records with <paramref name="oldRoot"/> is an earlier state of the one with <paramref name="newRoot"/>, proven from the stored nodes.</summary>
    public static async Task<bool> ConsistentAsync(ITreeNodeSource store, long oldSize, byte[] oldRoot, long newSize, byte[] newRoot, CancellationToken ct)
    {
        if (oldSize == newSize)
        {
            return oldRoot.AsSpan().SequenceEqual(newRoot);
        }
        try
        {
            var proof = await MerkleProofs.ConsistencyAsync(oldSize, newSize, store, ct);
            return MerkleVerifier.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof);
        }
        catch (MissingTreeNodeException)
        {
            return false;
        }
    }

    private static async Task<AuditLogEntry?> LastRecordAsync(GatewayDbContext db, long sequence, CancellationToken ct)
    {
        try
        {
            await foreach (var entry in new AuditLogReader(db).ReadAsync(sequence - 1, ct))
            {
                return entry.Sequence == sequence ? entry : null;
            }
        }
        catch (Exception error) when (error is InvalidCastException or FormatException or NullReferenceException or InvalidOperationException)
        {
            // Unreadable: the full pass names it.
        }
        return null;
    }
}
