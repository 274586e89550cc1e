namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>Where the hashes of complete subtrees come from: the database's node table, or a tree held in memory.</summary>
public interface ITreeNodeSource
{
    /// <summary>The hash of every node asked for; a missing node is an error (the stored tree is behind or damaged).</summary>
    Task<IReadOnlyDictionary<TreeNode, byte[]>> GetAsync(IReadOnlyCollection<TreeNode> nodes, CancellationToken cancellationToken = default);
}
