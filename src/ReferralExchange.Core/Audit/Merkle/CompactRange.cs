namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>
/// The right edge of a growing tree: the complete subtrees that make up D[0:size], one per set bit
/// of the size (at most 63). Appending a leaf closes the subtrees it completes, which the caller
/// stores; the root is their right fold. Appends and the root cost O(log n) hashes, never a rehash.
/// </summary>
public sealed class CompactRange
{
    private readonly List<(TreeNode Node, byte[] Hash)> _frontier = [];

    public long Size { get; private set; }

    /// <summary>An empty tree.</summary>
    public CompactRange()
    {
    }

    /// <summary>Resumes a tree of <paramref name="size"/> leaves from its stored frontier (see <see cref="FrontierOf"/>).</summary>
    public CompactRange(long size, IReadOnlyDictionary<TreeNode, byte[]> frontier)
    {
        foreach (var node in FrontierOf(size))
        {
            _frontier.Add((node, frontier.TryGetValue(node, out var hash) ? hash : throw new MissingTreeNodeException(node)));
        }
        Size = size;
    }

    /// <summary>An independent copy: appending to one does not move the other.</summary>
    public CompactRange Copy()
    {
        var copy = new CompactRange { Size = Size };
        copy._frontier.AddRange(_frontier);
        return copy;
    }

    /// <summary>The complete subtrees, left to right, whose fold is the root of a tree of <paramref name="size"/> leaves.</summary>
    public static IReadOnlyList<TreeNode> FrontierOf(long size) => size == 0 ? [] : MerkleRanges.Decompose(new LeafRange(0, size));

    /// <summary>Appends one leaf hash; returns every node it completes, the leaf itself first.</summary>
    public IReadOnlyList<(TreeNode Node, byte[] Hash)> Append(byte[] leafHash)
    {
        var closed = new List<(TreeNode, byte[])>(2);
        var current = (Node: new TreeNode(0, Size), Hash: leafHash);
        closed.Add(current);
        // The new node's left sibling, if complete, is the last frontier entry of the same level.
        while (_frontier.Count > 0 && _frontier[^1].Node.Level == current.Node.Level)
        {
            var left = _frontier[^1];
            _frontier.RemoveAt(_frontier.Count - 1);
            current = (new TreeNode(current.Node.Level + 1, left.Node.Index / 2), MerkleHash.Node(left.Hash, current.Hash));
            closed.Add(current);
        }
        _frontier.Add(current);
        Size++;
        return closed;
    }

    /// <summary>MTH(D[0:size]).</summary>
    public byte[] Root()
    {
        if (_frontier.Count == 0)
        {
            return MerkleHash.Empty();
        }
        var hash = _frontier[^1].Hash;
        for (var i = _frontier.Count - 2; i >= 0; i--)
        {
            hash = MerkleHash.Node(_frontier[i].Hash, hash);
        }
        return hash;
    }
}
