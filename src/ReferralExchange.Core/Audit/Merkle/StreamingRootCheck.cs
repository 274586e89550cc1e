namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>
/// Recomputes tree heads in one pass over the log: each leaf is appended to a compact range
/// (O(log n) memory), and whenever the tree reaches a size whose root is expected (a witnessed
/// checkpoint) its root is compared as the stream passes. No leaf is read twice, so checking every
/// witnessed size costs one pass however many checkpoints there are.
/// </summary>
public sealed class StreamingRootCheck
{
    private readonly CompactRange _range;
    private readonly IReadOnlyDictionary<long, byte[]> _expected;
    // The most recently completed node of each level: the frontier at any size is made of these
    // (a level's latest complete node is in the frontier exactly when that bit of the size is set).
    private readonly Dictionary<int, (TreeNode Node, byte[] Hash)> _latest = [];

    /// <param name="start">The tree to grow: empty for a full pass, or one a verifier kept.</param>
    /// <param name="expectedRoots">Root hashes by tree size, checked as the tree reaches each size.</param>
    public StreamingRootCheck(TreeFrontier start, IReadOnlyDictionary<long, byte[]> expectedRoots)
    {
        _range = start.ToCompactRange();
        foreach (var node in start.Nodes)
        {
            _latest[node.Node.Level] = node;
        }
        _expected = expectedRoots;
        LastMatchedSize = start.Size;
    }

    public long Size => _range.Size;

    /// <summary>The largest expected size passed whose root matched (or the starting size).</summary>
    public long LastMatchedSize { get; private set; }

    /// <summary>Appends the leaf of one record (its exact stored bytes); returns a mismatch if the tree just reached an expected size with another root.</summary>
    public RootMismatch? Append(ReadOnlySpan<byte> leafData)
    {
        foreach (var closed in _range.Append(MerkleHash.Leaf(leafData)))
        {
            _latest[closed.Node.Level] = closed;
        }
        if (!_expected.TryGetValue(Size, out var expected))
        {
            return null;
        }
        var actual = _range.Root();
        if (actual.AsSpan().SequenceEqual(expected))
        {
            LastMatchedSize = Size;
            return null;
        }
        return new RootMismatch(Size, LastMatchedSize, expected, actual);
    }

    public byte[] Root() => _range.Root();

    /// <summary>The frontier of the tree as it stands, to resume it later.</summary>
    public TreeFrontier Frontier() =>
        new(Size, CompactRange.FrontierOf(Size).Select(node => _latest.TryGetValue(node.Level, out var kept) && kept.Node == node
            ? kept
            : throw new MissingTreeNodeException(node)).ToList());
}

/// <summary>The tree of <see cref="Size"/> leaves has <see cref="Actual"/> as root where <see cref="Expected"/> was signed; the leaves up to <see cref="LastMatchedSize"/> still matched.</summary>
public sealed record RootMismatch(long Size, long LastMatchedSize, byte[] Expected, byte[] Actual);
