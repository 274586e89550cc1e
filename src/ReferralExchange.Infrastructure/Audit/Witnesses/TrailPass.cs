using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Core.Audit.Witnessing;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// One streaming pass over the audit records in chain order, from a tree it was given: each record
/// checked as <c>rx audit verify</c> checks it (<see cref="AuditVerifier.Check"/>: readable columns,
/// its hash, its link to the one before, the query columns against its hashed content), appended to
/// the Merkle tree, and the tree's root compared with the witnessed one at every witnessed size it
/// reaches (RFC 9162 §2.1). The integrity guard grows one from the witnessed tip; the background
/// re-check grows one from the first record.
/// </summary>
public sealed class TrailPass(TreeFrontier start, string chainHead, WitnessedCheckpointSet witnessed)
{
    private readonly StreamingRootCheck _tree = new(start, witnessed.Roots);

    /// <summary>The records passed so far (the tree's size).</summary>
    public long Size => _tree.Size;

    /// <summary>The hash of the last record passed: the one the next record must link to.</summary>
    public string ChainHead { get; private set; } = chainHead;

    public byte[] Root() => _tree.Root();

    public TreeFrontier Frontier() => _tree.Frontier();

    /// <summary>The same pass, now also expecting the roots of <paramref name="newer"/> (the witnesses read again).</summary>
    public TrailPass Expecting(WitnessedCheckpointSet newer) => new(_tree.Frontier(), ChainHead, newer);

    /// <summary>
    /// Reads and checks the records after <see cref="Size"/> up to record <paramref name="target"/>,
    /// at most <paramref name="limit"/> of them; calls <paramref name="witnessedSizeReached"/> with
    /// the root at each witnessed size passed. Returns why the trail is broken, or null.
    /// </summary>
    public async Task<string?> GrowAsync(GatewayDbContext db, long target, long limit, Action<long, byte[]>? witnessedSizeReached, CancellationToken ct)
    {
        var reader = new AuditLogReader(db);
        var read = 0L;
        try
        {
            await foreach (var entry in reader.ReadAsync(_tree.Size, ct))
            {
                if (entry.Sequence > target || read == limit)
                {
                    break;
                }
                read++;
                if (entry.Sequence > _tree.Size + 1)
                {
                    return $"audit record {_tree.Size + 1} is missing (the trail jumps to record {entry.Sequence})";
                }
                if (AuditVerifier.Check(entry, _tree.Size + 1, ChainHead) is { } broken)
                {
                    return broken.StartsWith("record ", StringComparison.Ordinal) ? "audit " + broken : broken;
                }
                ChainHead = entry.Hash;
                if (_tree.Append(entry.Payload) is { } mismatch)
                {
                    return WitnessComparison.RootDiffers(mismatch, witnessed.BySize[mismatch.Size].Witness).Reason;
                }
                if (witnessed.BySize.ContainsKey(_tree.Size))
                {
                    witnessedSizeReached?.Invoke(_tree.Size, _tree.Root());
                }
            }
        }
        catch (Exception error) when (error is InvalidCastException or FormatException or NullReferenceException or InvalidOperationException)
        {
            return $"audit record {_tree.Size + 1} cannot be read ({error.GetType().Name}): a column was re-typed or emptied";
        }
        return null;
    }
}
