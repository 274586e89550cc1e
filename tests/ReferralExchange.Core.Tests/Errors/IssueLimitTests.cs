using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Tests.Errors;

public sealed class IssueLimitTests
{
    private static Issue[] Issues(int n) => Enumerable.Range(0, n).Select(i => new Issue("value", "bad", $"Task.input[{i}]")).ToArray();

    [Fact]
    public void GatewayException_ExactlyTheLimit_KeepsEveryIssue()
    {
        var error = new GatewayException(ErrorKind.BadRequest, Issues(IssueLimit.Max));
        Assert.Equal(IssueLimit.Max, error.Issues.Count);
        Assert.DoesNotContain(error.Issues, i => i.Code == "too-costly");
    }

    [Fact]
    public void GatewayException_OverTheLimit_EndsWithHowManyMore()
    {
        var error = new GatewayException(ErrorKind.BadRequest, Issues(80_000));
        Assert.Equal(IssueLimit.Max, error.Issues.Count);
        Assert.Equal("Task.input[98]", error.Issues[^2].Expression);
        Assert.Equal("too-costly", error.Issues[^1].Code);
        Assert.Contains("79901 more", error.Issues[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cap_StoppedEarly_SaysThereMayBeMore()
    {
        var capped = IssueLimit.Cap(Issues(IssueLimit.Max), i => i, stoppedEarly: true);
        Assert.Equal(IssueLimit.Max, capped.Count);
        Assert.Contains("at least 1 more", capped[^1].Message, StringComparison.Ordinal);
    }
}
