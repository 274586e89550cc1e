using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Tests.Audit;

/// <summary>One pass over the leaves checks every expected root on the way (issue 12 §4), on the published RFC 6962 vectors.</summary>
public sealed class StreamingRootCheckTests
{
    [Fact]
    public void Append_EveryPublishedRoot_MatchesAsTheStreamPassesIt()
    {
        var expected = Enumerable.Range(1, 8).ToDictionary(size => (long)size, size => Rfc6962TestVectors.Root(size));
        var check = new StreamingRootCheck(TreeFrontier.Empty, expected);

        var mismatches = Rfc6962TestVectors.Leaves.Select(leaf => check.Append(leaf)).Where(m => m is not null).ToList();

        Assert.Empty(mismatches);
        Assert.Equal(8, check.LastMatchedSize);
    }

    [Fact]
    public void Append_ALeafRewritten_ReportsTheFirstWitnessedSizeAfterIt()
    {
        var expected = new Dictionary<long, byte[]> { [3] = Rfc6962TestVectors.Root(3), [6] = Rfc6962TestVectors.Root(6), [8] = Rfc6962TestVectors.Root(8) };
        var check = new StreamingRootCheck(TreeFrontier.Empty, expected);
        var leaves = Rfc6962TestVectors.Leaves.Select(l => l.ToArray()).ToArray();
        leaves[4] = [0x42];

        var mismatch = leaves.Select(leaf => check.Append(leaf)).First(m => m is not null)!;

        Assert.Equal(6, mismatch.Size);
        Assert.Equal(3, mismatch.LastMatchedSize);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void Frontier_ResumedAtAnySize_GrowsToTheSameRoots(int resumeAt)
    {
        var first = new StreamingRootCheck(TreeFrontier.Empty, new Dictionary<long, byte[]>());
        foreach (var leaf in Rfc6962TestVectors.Leaves.Take(resumeAt))
        {
            first.Append(leaf);
        }
        var expected = Enumerable.Range(resumeAt + 1, 8 - resumeAt).ToDictionary(size => (long)size, size => Rfc6962TestVectors.Root(size));
        var resumed = new StreamingRootCheck(first.Frontier(), expected);

        var mismatches = Rfc6962TestVectors.Leaves.Skip(resumeAt).Select(leaf => resumed.Append(leaf)).Where(m => m is not null).ToList();

        Assert.Equal(Rfc6962TestVectors.Root(resumeAt), first.Root());
        Assert.Empty(mismatches);
        Assert.Equal(8, resumed.LastMatchedSize);
    }
}
