using System.Numerics;

namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>
/// The index arithmetic of RFC 9162 §2.1, without any hashing: which leaf ranges an inclusion or a
/// consistency proof is made of, and which stored complete subtrees make up a range. Splitting it
/// from the hashing lets a store fetch every node a proof needs in one go.
/// </summary>
public static class MerkleRanges
{
    /// <summary>The largest power of two smaller than <paramref name="n"/> (n &gt; 1): the split point k of RFC 9162 §2.1.1.</summary>
    public static long SplitPoint(long n) => n <= 1
        ? throw new ArgumentOutOfRangeException(nameof(n), "a split needs at least two leaves")
        : 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>
    /// The complete subtrees, left to right and shrinking, whose right fold is MTH(D[start:end]).
    /// Valid for the ranges RFC 9162 proofs use: start is a multiple of the largest power of two not
    /// above end - start (every range produced below is).
    /// </summary>
    public static IReadOnlyList<TreeNode> Decompose(LeafRange range)
    {
        var nodes = new List<TreeNode>();
        var start = range.Start;
        var remaining = range.Count;
        while (remaining > 0)
        {
            var level = 63 - BitOperations.LeadingZeroCount((ulong)remaining);
            if (start % (1L << level) != 0)
            {
                throw new ArgumentException($"range {range} is not aligned to complete subtrees", nameof(range));
            }
            nodes.Add(new TreeNode(level, start >> level));
            start += 1L << level;
            remaining -= 1L << level;
        }
        return nodes;
    }

    /// <summary>PATH(m, D[n]) of RFC 9162 §2.1.3.1 as leaf ranges, in proof order (the leaf's sibling first).</summary>
    public static IReadOnlyList<LeafRange> Inclusion(long leafIndex, long treeSize)
    {
        if (leafIndex < 0 || leafIndex >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(leafIndex), $"leaf {leafIndex} is not in a tree of {treeSize}");
        }
        var ranges = new List<LeafRange>();
        Path(leafIndex, 0, treeSize, ranges);
        return ranges;
    }

    /// <summary>PROOF(m, D[n]) of RFC 9162 §2.1.4.1 as leaf ranges, in proof order. Empty when m is 0 or m == n.</summary>
    public static IReadOnlyList<LeafRange> Consistency(long oldSize, long newSize)
    {
        if (oldSize < 0 || oldSize > newSize)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), $"a tree of {oldSize} cannot precede one of {newSize}");
        }
        var ranges = new List<LeafRange>();
        if (oldSize > 0 && oldSize < newSize)
        {
            SubProof(oldSize, 0, newSize, true, ranges);
        }
        return ranges;
    }

    // PATH(m, D[start:end]): for n > 1, with k the split, the path into the half holding m followed by
    // the hash of the other half (RFC 9162 §2.1.3.1).
    private static void Path(long m, long start, long end, List<LeafRange> into)
    {
        var n = end - start;
        if (n <= 1)
        {
            return;
        }
        var k = SplitPoint(n);
        if (m < k)
        {
            Path(m, start, start + k, into);
            into.Add(new LeafRange(start + k, end));
        }
        else
        {
            Path(m - k, start + k, end, into);
            into.Add(new LeafRange(start, start + k));
        }
    }

    // SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1; b says whether the subtree D[start:start+m]
    // is one the verifier already knows the hash of (its old root), so it need not be sent.
    private static void SubProof(long m, long start, long end, bool known, List<LeafRange> into)
    {
        var n = end - start;
        if (m == n)
        {
            if (!known)
            {
                into.Add(new LeafRange(start, end));
            }
            return;
        }
        var k = SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, start, start + k, known, into);
            into.Add(new LeafRange(start + k, end));
        }
        else
        {
            SubProof(m - k, start + k, end, false, into);
            into.Add(new LeafRange(start, start + k));
        }
    }
}
