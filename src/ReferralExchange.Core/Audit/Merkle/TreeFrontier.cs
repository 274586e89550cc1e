namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>
/// The complete subtrees whose fold is the root of a tree of <see cref="Size"/> leaves (at most one
/// per set bit of the size): all a verifier must keep to resume a tree later without re-reading
/// the leaves before it.
/// </summary>
public sealed record TreeFrontier(long Size, IReadOnlyList<(TreeNode Node, byte[] Hash)> Nodes)
{
    public static readonly TreeFrontier Empty = new(0, []);

    /// <summary>The tree, ready to grow; throws <see cref="MissingTreeNodeException"/> if a node of the frontier is absent.</summary>
    public CompactRange ToCompactRange() => new(Size, Nodes.ToDictionary(n => n.Node, n => n.Hash));
}
