using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Tests.Audit;

/// <summary>A log held in memory: every complete subtree the compact range closed, as the database's node table holds them.</summary>
public sealed class InMemoryTree : ITreeNodeSource
{
    private readonly Dictionary<TreeNode, byte[]> _nodes = [];
    private readonly CompactRange _range = new();

    public InMemoryTree(IEnumerable<byte[]> leaves)
    {
        foreach (var leaf in leaves)
        {
            Append(leaf);
        }
    }

    public long Size => _range.Size;

    public byte[] Root => _range.Root();

    public byte[] LeafHash(long index) => _nodes[new TreeNode(0, index)];

    public void Append(byte[] leafData)
    {
        foreach (var (node, hash) in _range.Append(MerkleHash.Leaf(leafData)))
        {
            _nodes.Add(node, hash);
        }
    }

    public Task<IReadOnlyDictionary<TreeNode, byte[]>> GetAsync(IReadOnlyCollection<TreeNode> nodes, CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<TreeNode, byte[]>>(nodes.ToDictionary(n => n, n => _nodes[n]));
}
