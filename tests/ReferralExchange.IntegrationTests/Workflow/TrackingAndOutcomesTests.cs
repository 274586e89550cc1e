using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Workflow;

/// <summary>The PSW's tracking view (overdue flagging) and the operator's de-identified outcome report.</summary>
public sealed class TrackingAndOutcomesTests(TrackingAndOutcomesTests.FastOverdueGateway gateway) : IClassFixture<TrackingAndOutcomesTests.FastOverdueGateway>
{
    [Fact]
    public async Task Tracking_ReferralNotAcceptedInTime_IsFlaggedOverdue_AcceptedOneIsNot()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (waiting, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var (taken, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var flow = new ReferralFlow(gateway, taken, "", "");
        Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(GatewayFixture.BehavioralHealth, "accepted")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        var overdue = JsonNode.Parse(await (await psw.GetAsync("/referrals/tracking?overdue=true")).Content.ReadAsStringAsync())!.AsArray();
        var all = JsonNode.Parse(await (await psw.GetAsync("/referrals/tracking")).Content.ReadAsStringAsync())!.AsArray();

        Assert.Contains(overdue, t => t!["taskId"]!.GetValue<string>() == waiting);
        Assert.DoesNotContain(overdue, t => t!["taskId"]!.GetValue<string>() == taken);
        var accepted = all.Single(t => t!["taskId"]!.GetValue<string>() == taken)!;
        Assert.Equal("accepted", accepted["status"]!.GetValue<string>());
        Assert.NotNull(accepted["hoursInState"]!["requested"]);
    }

    [Fact]
    public async Task Tracking_IsForTheReferralSourceOnly()
    {
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        Assert.Equal(HttpStatusCode.Forbidden, (await provider.GetAsync("/referrals/tracking")).StatusCode);
    }

    [Fact]
    public async Task OutcomeReport_SuppressesCountsUnderEleven_AndMediansOverFewReferrals()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var tasks = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            tasks.Add((await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.Veterans, categories: ["veteran-status"]))).TaskId);
        }
        foreach (var task in tasks.Take(3))
        {
            Assert.Equal(HttpStatusCode.OK, (await new ReferralFlow(gateway, task, "", "").MoveAsync(GatewayFixture.Veterans, "accepted")).StatusCode);
        }
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);

        var csv = await (await operatorClient.GetAsync("/operator/reports/outcomes?format=csv")).Content.ReadAsStringAsync();
        var row = csv.Split('\n').Single(l => l.StartsWith($"{GatewayFixture.Veterans},veteran-status,"));
        var cells = row.Split(',');

        Assert.Equal("12", cells[3]);          // sent
        Assert.Equal("<11", cells[4]);         // accepted: 3, suppressed
        Assert.Equal("0", cells[6]);           // completed: zero is not a small cell
        Assert.Equal("suppressed", cells[7]);  // median over 3 acceptances
        Assert.DoesNotContain(ReferralSamples.FamilyName, csv);
    }

    [Fact]
    public async Task OutcomeReport_IsForTheOperatorOnly()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        Assert.Equal(HttpStatusCode.Forbidden, (await psw.GetAsync("/operator/reports/outcomes")).StatusCode);
    }

    /// <summary>A gateway whose urgent referrals are overdue after half a second.</summary>
    public sealed class FastOverdueGateway : GatewayFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Gateway:Tracking:Urgent", "00:00:00.500")];
    }
}
