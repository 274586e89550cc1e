using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Search;

namespace ReferralExchange.Core.Tests.Search;

public sealed class TaskSearchParserTests
{
    private static TaskSearchQuery Parse(params (string, string)[] pairs) =>
        TaskSearchParser.Parse(pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)));

    private static TaskSearchQuery ParseStrict(params (string, string)[] pairs) =>
        TaskSearchParser.Parse(pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)), strict: true);

    [Fact]
    public void Parse_ReferenceWithOrWithoutType_GivesTheId()
    {
        Assert.Equal("bh", Parse(("owner", "Organization/bh")).OwnerId);
        Assert.Equal("bh", Parse(("owner", "bh")).OwnerId);
    }

    [Fact]
    public void Parse_LastUpdatedGtDay_StartsAtTheEndOfThatDay()
    {
        var bound = Assert.Single(Parse(("_lastUpdated", "gt2026-11-20")).Common.LastUpdated);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), bound.Instant);
        Assert.True(bound.IsLower);
    }

    [Fact]
    public void Parse_LastUpdatedLtInstant_IsAnExclusiveUpperBound()
    {
        var bound = Assert.Single(Parse(("_lastUpdated", "lt2026-11-20T10:00:00Z")).Common.LastUpdated);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), bound.Instant);
        Assert.False(bound.IsLower);
        Assert.False(bound.Inclusive);
    }

    [Fact]
    public void Parse_CountAboveMaximum_IsCapped() =>
        Assert.Equal(TaskSearchParser.MaxCount, Parse(("_count", "5000")).Common.Count);

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
    public void ParseStrict_BadParameter_ThrowsBadRequestNamingIt(string name, string value)
    {
        var error = Assert.Throws<GatewayException>(() => ParseStrict((name, value)));
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal(name, error.Issues[0].Expression);
    }

    [Theory]
    [InlineData("status", "done")]
    [InlineData("_count", "-1")]
    [InlineData("_lastUpdated", "xx2026-01-01")]
    [InlineData("_sort", "colour")]
    public void Parse_MalformedValueOfAKnownParameter_IsRefusedEvenWhenLenient(string name, string value)
    {
        var error = Assert.Throws<GatewayException>(() => Parse((name, value)));
        Assert.Equal(name, error.Issues[0].Expression);
    }

    [Fact]
    public void Parse_UnknownParameterAndUnofferedInclude_AreIgnoredAndLeftOutOfTheApplied()
    {
        var query = Parse(("colour", "blue"), ("_include", "Task:owner"), ("status", "requested"));

        Assert.Equal([new KeyValuePair<string, string>("status", "requested")], query.Common.Applied);
        Assert.False(query.IncludeFocus);
    }

    [Theory]
    [InlineData("-_lastUpdated", SortKey.LastUpdated, true)]
    [InlineData("authored-on", SortKey.AuthoredOn, false)]
    [InlineData("-priority", SortKey.Priority, true)]
    public void Parse_Sort_GivesKeyAndDirection(string value, SortKey key, bool descending) =>
        Assert.Equal(new SearchSort(key, descending), Parse(("_sort", value)).Common.Sort);

    [Fact]
    public void Parse_SummaryCount_CountsAndReturnsNoEntries()
    {
        var common = Parse(("_summary", "count")).Common;

        Assert.Equal(TotalMode.Accurate, common.Total);
        Assert.Equal(0, common.Count);
    }

    [Fact]
    public void Parse_Includes_AreEachRecognised()
    {
        var query = Parse(("_include", "Task:patient"), ("_include", "Task:requester"), ("_revinclude", "Procedure:based-on"));

        Assert.True(query.IncludePatient && query.IncludeRequester && query.RevIncludeProcedures);
    }
}
