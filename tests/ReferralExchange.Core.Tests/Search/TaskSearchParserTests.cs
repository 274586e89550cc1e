using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Search;

namespace ReferralExchange.Core.Tests.Search;

public sealed class TaskSearchParserTests
{
    private static TaskSearchQuery Parse(params (string, string)[] pairs) =>
        TaskSearchParser.Parse(pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)));

    [Fact]
    public void Parse_ReferenceWithOrWithoutType_GivesTheId()
    {
        Assert.Equal("bh", Parse(("owner", "Organization/bh")).OwnerId);
        Assert.Equal("bh", Parse(("owner", "bh")).OwnerId);
    }

    [Fact]
    public void Parse_LastUpdatedGtDay_StartsAtTheEndOfThatDay()
    {
        var bound = Assert.Single(Parse(("_lastUpdated", "gt2026-11-20")).LastUpdated);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), bound.Instant);
        Assert.True(bound.IsLower);
    }

    [Fact]
    public void Parse_LastUpdatedLtInstant_IsAnExclusiveUpperBound()
    {
        var bound = Assert.Single(Parse(("_lastUpdated", "lt2026-11-20T10:00:00Z")).LastUpdated);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), bound.Instant);
        Assert.False(bound.IsLower);
        Assert.False(bound.Inclusive);
    }

    [Fact]
    public void Parse_CountAboveMaximum_IsCapped() =>
        Assert.Equal(TaskSearchParser.MaxCount, Parse(("_count", "5000")).Count);

    [Fact]
    public void Parse_StatusList_SplitsOnComma() =>
        Assert.Equal(["requested", "accepted"], Parse(("status", "requested,accepted")).Statuses);

    [Theory]
    [InlineData("colour", "blue")]
    [InlineData("status", "done")]
    [InlineData("_count", "-1")]
    [InlineData("_include", "Task:owner")]
    [InlineData("owner", "Organization/../../etc")]
    [InlineData("_lastUpdated", "xx2026-01-01")]
    public void Parse_BadParameter_ThrowsBadRequestNamingIt(string name, string value)
    {
        var error = Assert.Throws<GatewayException>(() => Parse((name, value)));
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal(name, error.Issues[0].Expression);
    }
}
