namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>
/// Generates tree heads and proofs (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1) from stored complete
/// subtrees: each proof hash is the fold of at most log2(n) nodes, and every node of a proof is
/// fetched in one call, so a proof over millions of records reads O(log² n) rows and hashes nothing
/// but the fold. Verification lives apart, in <see cref="MerkleVerifier"/>.
/// </summary>
public static class MerkleProofs
{
    public static async Task<byte[]> RootAsync(long treeSize, ITreeNodeSource nodes, CancellationToken ct = default)
    {
        if (treeSize == 0)
        {
            return MerkleHash.Empty();
        }
        return (await HashesAsync([new LeafRange(0, treeSize)], nodes, ct))[0];
    }

    public static Task<IReadOnlyList<byte[]>> InclusionAsync(long leafIndex, long treeSize, ITreeNodeSource nodes, CancellationToken ct = default) =>
        HashesAsync(MerkleRanges.Inclusion(leafIndex, treeSize), nodes, ct);

    public static Task<IReadOnlyList<byte[]>> ConsistencyAsync(long oldSize, long newSize, ITreeNodeSource nodes, CancellationToken ct = default) =>
        HashesAsync(MerkleRanges.Consistency(oldSize, newSize), nodes, ct);

    /// <summary>MTH(D[start:end]) of each range, from one fetch of all the nodes they decompose into.</summary>
    public static async Task<IReadOnlyList<byte[]>> HashesAsync(IReadOnlyList<LeafRange> ranges, ITreeNodeSource nodes, CancellationToken ct = default)
    {
        var decompositions = ranges.Select(MerkleRanges.Decompose).ToList();
        var wanted = decompositions.SelectMany(d => d).ToHashSet();
        var found = wanted.Count == 0 ? new Dictionary<TreeNode, byte[]>() : await nodes.GetAsync(wanted, ct);
        return decompositions.Select(d => Fold(d, found)).ToList();
    }

    // MTH of a range whose left part is complete: H(left, MTH(rest)), so the decomposition folds from the right.
    private static byte[] Fold(IReadOnlyList<TreeNode> decomposition, IReadOnlyDictionary<TreeNode, byte[]> found)
    {
        var hash = Lookup(decomposition[^1], found);
        for (var i = decomposition.Count - 2; i >= 0; i--)
        {
            hash = MerkleHash.Node(Lookup(decomposition[i], found), hash);
        }
        return hash;
    }

    private static byte[] Lookup(TreeNode node, IReadOnlyDictionary<TreeNode, byte[]> found) =>
        found.TryGetValue(node, out var hash) ? hash : throw new MissingTreeNodeException(node);
}

/// <summary>A complete subtree a proof needs is not stored: the tree is behind the log or was damaged.</summary>
public sealed class MissingTreeNodeException(TreeNode node)
    : InvalidOperationException($"the audit tree has no node {node}: it is behind the log or was damaged")
{
    public TreeNode Node { get; } = node;
}
