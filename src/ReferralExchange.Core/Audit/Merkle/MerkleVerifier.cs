namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>
/// The verification algorithms of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), step by
/// step as the RFC writes them. They share nothing with <see cref="MerkleProofs"/> on purpose: a
/// generator bug cannot hide behind the same bug in the checker, and the tests run one against the other.
/// </summary>
public static class MerkleVerifier
{
    /// <summary>Whether <paramref name="proof"/> shows that <paramref name="leafHash"/> is leaf <paramref name="leafIndex"/> of the tree with <paramref name="rootHash"/>.</summary>
    public static bool VerifyInclusion(long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> rootHash)
    {
        // Step 1.
        if (leafIndex < 0 || leafIndex >= treeSize || !AllHashes(proof) || leafHash.Length != MerkleHash.Size)
        {
            return false;
        }
        // Steps 2 and 3.
        var fn = leafIndex;
        var sn = treeSize - 1;
        var r = leafHash.ToArray();
        // Step 4.
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        // Step 5.
        return sn == 0 && r.AsSpan().SequenceEqual(rootHash);
    }

    /// <summary>Whether <paramref name="proof"/> shows that the tree of <paramref name="oldSize"/> with <paramref name="oldRoot"/> is a prefix of the tree of <paramref name="newSize"/> with <paramref name="newRoot"/>.</summary>
    public static bool VerifyConsistency(long oldSize, long newSize, ReadOnlySpan<byte> oldRoot, ReadOnlySpan<byte> newRoot, IReadOnlyList<byte[]> proof)
    {
        if (oldSize < 0 || oldSize > newSize || !AllHashes(proof))
        {
            return false;
        }
        // Outside the RFC's 0 < first < second: the empty tree is a prefix of every tree, and a tree
        // is consistent with itself exactly when the roots agree; neither needs (or admits) a proof.
        if (oldSize == 0)
        {
            return proof.Count == 0;
        }
        if (oldSize == newSize)
        {
            return proof.Count == 0 && oldRoot.SequenceEqual(newRoot);
        }
        // Step 1.
        if (proof.Count == 0)
        {
            return false;
        }
        // Step 2.
        var path = new List<byte[]>(proof.Count + 1);
        if ((oldSize & (oldSize - 1)) == 0)
        {
            path.Add(oldRoot.ToArray());
        }
        path.AddRange(proof);
        // Step 3.
        var fn = oldSize - 1;
        var sn = newSize - 1;
        // Step 4.
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        // Step 5.
        var fr = path[0];
        var sr = path[0];
        // Step 6.
        foreach (var c in path.Skip(1))
        {
            if (sn == 0)
            {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        // Step 7.
        return sn == 0 && fr.AsSpan().SequenceEqual(oldRoot) && sr.AsSpan().SequenceEqual(newRoot);
    }

    private static bool AllHashes(IReadOnlyList<byte[]> proof) => proof.All(p => p is { Length: MerkleHash.Size });
}
