using System.Diagnostics;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Tests.Fhir;

/// <summary>Issue 13 §3: whatever a client sends, parsing ends in a typed 400, never an SDK exception.</summary>
public sealed class FhirJsonHostileInputTests
{
    [Fact]
    public void Parse_EmptyPropertyName_IsBadRequestNamingTheElement()
    {
        var error = Assert.Throws<GatewayException>(() => FhirJson.Parse("{\"resourceType\":\"Task\",\"\":1}"));
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal("Task.''", error.Issues.Single().Expression);
    }

    [Fact]
    public void Parse_EmptyPropertyNameDeepInside_NamesItsPath()
    {
        var error = Assert.Throws<GatewayException>(() =>
            FhirJson.Parse("{\"resourceType\":\"Bundle\",\"entry\":[{},{\"resource\":{\"resourceType\":\"Task\",\"_status\":{\"\":1}}}]}"));
        Assert.Equal("Bundle.entry[1].resource._status.''", error.Issues.Single().Expression);
    }

    [Theory]
    [InlineData("{\"resourceType\":\"Task\",\"contained\":1}")]
    [InlineData("{\"resourceType\":\"Task\",\"contained\":{\"resourceType\":\"Patient\"}}")]
    [InlineData("{\"resourceType\":\"Task\",\"contained\":\"x\"}")]
    public void Parse_ContainedNotAnArray_IsBadRequestAtContained(string json)
    {
        var error = Assert.Throws<GatewayException>(() => FhirJson.Parse(json));
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Contains(error.Issues, i => i.Expression?.StartsWith("Task.contained", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Parse_TwentyThousandEmptyInputs_AnswersHundredIssuesWithinASecond()
    {
        var json = "{\"resourceType\":\"Task\",\"id\":\"t\",\"status\":\"requested\",\"intent\":\"order\",\"input\":["
            + string.Join(",", Enumerable.Repeat("{}", 20_000)) + "]}";
        FhirJsonOrError(json); // warm the SDK's type maps
        var clock = Stopwatch.StartNew();
        var error = FhirJsonOrError(json);
        clock.Stop();

        Assert.Equal(IssueLimit.Max, error.Issues.Count);
        Assert.Equal("too-costly", error.Issues[^1].Code);
        Assert.Contains("more", error.Issues[^1].Message, StringComparison.Ordinal);
        Assert.True(clock.ElapsedMilliseconds < 1000, $"took {clock.ElapsedMilliseconds} ms");
    }

    private static GatewayException FhirJsonOrError(string json) => Assert.Throws<GatewayException>(() => FhirJson.Parse(json));
}
