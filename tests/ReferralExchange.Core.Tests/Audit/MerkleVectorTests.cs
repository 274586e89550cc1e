using ReferralExchange.Core.Audit.Merkle;
using static ReferralExchange.Core.Tests.Audit.Rfc6962TestVectors;

namespace ReferralExchange.Core.Tests.Audit;

/// <summary>Generation and verification against the published RFC 6962 vectors, not against each other.</summary>
public sealed class MerkleVectorTests
{
    [Fact]
    public void Root_EmptyTree_IsSha256OfNothing()
    {
        Assert.Equal(Hex(EmptyTreeRoot), MerkleHash.Empty());
        Assert.Equal(Hex(EmptyTreeRoot), new CompactRange().Root());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task Root_OfFirstLeaves_IsThePublishedRoot(int size)
    {
        var tree = new InMemoryTree(Leaves.Take(size));

        Assert.Equal(Root(size), tree.Root);
        Assert.Equal(Root(size), await MerkleProofs.RootAsync(size, new InMemoryTree(Leaves)));
    }

    [Theory]
    [MemberData(nameof(InclusionProofs), MemberType = typeof(Rfc6962TestVectors))]
    public async Task Inclusion_Generated_IsThePublishedProof(long leaf, long size, string[] expected)
    {
        var proof = await MerkleProofs.InclusionAsync(leaf, size, new InMemoryTree(Leaves));

        Assert.Equal(expected, proof.Select(h => Convert.ToHexString(h).ToLowerInvariant()));
    }

    [Theory]
    [MemberData(nameof(InclusionProofs), MemberType = typeof(Rfc6962TestVectors))]
    public void Inclusion_PublishedProof_Verifies(long leaf, long size, string[] proof)
    {
        var hashes = proof.Select(Hex).ToList();

        Assert.True(MerkleVerifier.VerifyInclusion(leaf, size, MerkleHash.Leaf(Leaves[leaf]), hashes, Root(size)));
        Assert.False(MerkleVerifier.VerifyInclusion(leaf, size, MerkleHash.Leaf([0xff]), hashes, Root(size)));
        if (size > 1)
        {
            Assert.False(MerkleVerifier.VerifyInclusion(leaf ^ 1, size, MerkleHash.Leaf(Leaves[leaf]), hashes, Root(size)));
            Assert.False(MerkleVerifier.VerifyInclusion(leaf, size, MerkleHash.Leaf(Leaves[leaf]), hashes[..^1], Root(size)));
        }
    }

    [Theory]
    [MemberData(nameof(ConsistencyProofs), MemberType = typeof(Rfc6962TestVectors))]
    public async Task Consistency_Generated_IsThePublishedProof(long oldSize, long newSize, string[] expected)
    {
        var proof = await MerkleProofs.ConsistencyAsync(oldSize, newSize, new InMemoryTree(Leaves));

        Assert.Equal(expected, proof.Select(h => Convert.ToHexString(h).ToLowerInvariant()));
    }

    [Theory]
    [MemberData(nameof(ConsistencyProofs), MemberType = typeof(Rfc6962TestVectors))]
    public void Consistency_PublishedProof_Verifies(long oldSize, long newSize, string[] proof)
    {
        var hashes = proof.Select(Hex).ToList();

        Assert.True(MerkleVerifier.VerifyConsistency(oldSize, newSize, Root(oldSize), Root(newSize), hashes));
        if (hashes.Count > 0)
        {
            Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, Root(newSize), Root(oldSize), hashes));
            Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, Root(oldSize), Root(newSize), hashes[..^1]));
            Assert.False(MerkleVerifier.VerifyConsistency(oldSize, newSize, Root(oldSize), Root(newSize), []));
        }
    }

    [Fact]
    public void Consistency_EdgeSizes_FollowTheReferenceBehaviour()
    {
        var someRoot = Root(3);

        Assert.True(MerkleVerifier.VerifyConsistency(0, 5, Hex(EmptyTreeRoot), Root(5), []));
        Assert.True(MerkleVerifier.VerifyConsistency(4, 4, Root(4), Root(4), []));
        Assert.False(MerkleVerifier.VerifyConsistency(4, 4, Root(4), someRoot, []));
        Assert.False(MerkleVerifier.VerifyConsistency(4, 4, Root(4), Root(4), [Root(4)]));
        Assert.False(MerkleVerifier.VerifyConsistency(5, 4, Root(5), Root(4), []));
    }
}
