namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>
/// A complete (perfect) subtree of the log: the 2^<see cref="Level"/> leaves starting at leaf
/// <c>Index * 2^Level</c>. Level 0 nodes are the leaf hashes. Once the log has grown past its last
/// leaf such a subtree never changes, which is what makes it storable (ADR 0011).
/// </summary>
public readonly record struct TreeNode(int Level, long Index)
{
    /// <summary>The first leaf this subtree covers.</summary>
    public long Start => Index << Level;

    /// <summary>One past the last leaf this subtree covers.</summary>
    public long End => (Index + 1) << Level;

    public override string ToString() => $"({Level},{Index})";
}
