using CsCheck;
using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Tests.Audit;

/// <summary>
/// Over random trees (1 to 300 leaves): every generated inclusion and consistency proof verifies
/// with the separately written RFC 9162 verifier, and changing any bit of it, the index, a size or a
/// root (or, for inclusion, the leaf index) makes it fail. (A consistency proof's sizes are not
/// mutated: a proof from m to n can be valid for a hypothetical larger tree, see RFC 9162 §2.1.4.) The stored-node root equals the compact range's.
/// </summary>
public sealed class MerklePropertyTests
{
    // Leaves are made distinct (their position first): with two equal neighbours, a proof for one
    // legitimately proves the other too.
    private static readonly Gen<InMemoryTree> Trees =
        Gen.Byte.Array[0, 24].Array[1, 300].Select(leaves => new InMemoryTree(leaves.Select((data, i) => BitConverter.GetBytes(i).Concat(data).ToArray())));

    [Fact]
    public void Inclusion_EveryGeneratedProof_Verifies_AndATamperedOneFails()
    {
        Gen.Select(Trees, Gen.Long, Gen.Int[0, 1000]).Sample(sample =>
        {
            var (tree, pick, flip) = sample;
            var size = 1 + Math.Abs(pick % tree.Size);
            var leaf = Math.Abs(pick / 7 % size);
            var proof = MerkleProofs.InclusionAsync(leaf, size, tree).GetAwaiter().GetResult();
            var root = MerkleProofs.RootAsync(size, tree).GetAwaiter().GetResult();

            Assert.True(MerkleVerifier.VerifyInclusion(leaf, size, tree.LeafHash(leaf), proof, root));
            if (proof.Count > 0)
            {
                Assert.False(MerkleVerifier.VerifyInclusion(leaf, size, tree.LeafHash(leaf), FlipBit(proof, flip), root));
                Assert.False(MerkleVerifier.VerifyInclusion(leaf, size, tree.LeafHash(leaf), proof.Skip(1).ToList(), root));
                Assert.False(MerkleVerifier.VerifyInclusion(leaf, size, tree.LeafHash(leaf), [.. proof, root], root));
            }
            Assert.False(MerkleVerifier.VerifyInclusion(leaf, size, MerkleHash.Node(tree.LeafHash(leaf), root), proof, root));
            Assert.False(MerkleVerifier.VerifyInclusion(leaf, size, tree.LeafHash(leaf), proof, MerkleHash.Leaf(root)));
            if (size > 1)
            {
                Assert.False(MerkleVerifier.VerifyInclusion((leaf + 1) % size, size, tree.LeafHash(leaf), proof, root));
            }
        }, iter: 400);
    }

    [Fact]
    public void Consistency_EveryGeneratedProof_Verifies_AndATamperedOneFails()
    {
        Gen.Select(Trees, Gen.Long, Gen.Int[0, 1000]).Sample(sample =>
        {
            var (tree, pick, flip) = sample;
            var newSize = 1 + Math.Abs(pick % tree.Size);
            var oldSize = 1 + Math.Abs(pick / 7 % newSize);
            var proof = MerkleProofs.ConsistencyAsync(oldSize, newSize, tree).GetAwaiter().GetResult();
            var oldRoot = MerkleProofs.RootAsync(oldSize, tree).GetAwaiter().GetResult();
            var newRoot = MerkleProofs.RootAsync(newSize, tree).GetAwaiter().GetResult();

            Assert.True(MerkleVerifier.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof));
            if (oldSize < newSize)
            {
                Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, FlipBit(proof, flip)));
                Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, MerkleHash.Leaf(oldRoot), newRoot, proof));
                Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, oldRoot, MerkleHash.Leaf(newRoot), proof));
                Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof.Take(proof.Count - 1).ToList()));
            }
        }, iter: 400);
    }

    [Fact]
    public void Root_FromStoredNodes_EqualsTheCompactRange_AtEverySize()
    {
        Trees.Sample(tree =>
        {
            var resumed = new CompactRange();
            for (long size = 1; size <= tree.Size; size++)
            {
                resumed.Append(tree.LeafHash(size - 1));
                Assert.Equal(resumed.Root(), MerkleProofs.RootAsync(size, tree).GetAwaiter().GetResult());
            }
        }, iter: 50);
    }

    [Fact]
    public void CompactRange_ResumedFromItsFrontier_GrowsToTheSameRoot()
    {
        Gen.Select(Trees, Gen.Long).Sample(sample =>
        {
            var (tree, pick) = sample;
            var split = Math.Abs(pick % (tree.Size + 1));
            var frontier = tree.GetAsync(CompactRange.FrontierOf(split).ToList(), CancellationToken.None).GetAwaiter().GetResult();
            var resumed = new CompactRange(split, frontier);
            for (var i = split; i < tree.Size; i++)
            {
                resumed.Append(tree.LeafHash(i));
            }
            Assert.Equal(tree.Root, resumed.Root());
        }, iter: 200);
    }

    private static List<byte[]> FlipBit(IReadOnlyList<byte[]> proof, int bit)
    {
        var copy = proof.Select(p => (byte[])p.Clone()).ToList();
        var element = bit % copy.Count;
        copy[element][bit / 8 % MerkleHash.Size] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
