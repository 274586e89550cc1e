using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Fhir;

public sealed class TaskSearchTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Search_WithCount_PagesThroughNextLinksWithoutRepeats()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var va = gateway.ClientFor(GatewayFixture.Veterans);
        var submitted = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            submitted.Add((await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.Veterans, categories: ["veteran-status"]))).TaskId);
        }

        var seen = new List<string>();
        string? next = $"/fhir/Task?owner=Organization/{GatewayFixture.Veterans}&_count=2";
        while (next is not null)
        {
            var page = await (await va.GetAsync(next)).JsonAsync();
            seen.AddRange(page["entry"]?.AsArray().Select(e => e!["resource"]!["id"]!.GetValue<string>()) ?? []);
            next = page["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == "next")?["url"]!.GetValue<string>();
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Superset(submitted.ToHashSet(), seen.ToHashSet());
    }

    [Fact]
    public async Task Search_IncludeFocus_AddsTheServiceRequests()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());

        var bundle = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&_include=Task:focus&_count=100")).JsonAsync();

        var entries = bundle["entry"]!.AsArray();
        var task = entries.Single(e => e!["resource"]!["id"]!.GetValue<string>() == taskId)!;
        var focus = task["resource"]!["focus"]!["reference"]!.GetValue<string>();
        Assert.Contains(entries, e => e!["search"]!["mode"]!.GetValue<string>() == "include"
            && $"ServiceRequest/{e["resource"]!["id"]!.GetValue<string>()}" == focus);
    }

    [Fact]
    public async Task Search_LastUpdatedGreaterThan_ReturnsOnlyLaterChanges()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var (earlier, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var earlierTask = await (await provider.GetAsync($"/fhir/Task/{earlier}")).JsonAsync();
        var mark = earlierTask["meta"]!["lastUpdated"]!.GetValue<string>();
        await Task.Delay(20);
        var (later, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());

        var bundle = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&_lastUpdated=gt{Uri.EscapeDataString(mark)}&_count=100")).JsonAsync();
        var ids = bundle["entry"]?.AsArray().Select(e => e!["resource"]!["id"]!.GetValue<string>()).ToList() ?? [];

        Assert.Contains(later, ids);
        Assert.DoesNotContain(earlier, ids);
    }

    [Fact]
    public async Task Search_OpenReferral_IsFoundByOwnerMissingByAClaimCandidateOnly()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var open = ReferralSamples.Native(recipient: null, categories: ["homelessness"], consentRecipients: [GatewayFixture.Housing]);
        var (taskId, _) = await psw.SubmitReferralAsync(open);

        var forHousing = await (await housing.GetAsync("/fhir/Task?owner:missing=true&status=requested&_count=100")).JsonAsync();
        var forProvider = await (await provider.GetAsync("/fhir/Task?owner:missing=true&status=requested&_count=100")).JsonAsync();

        Assert.Contains(taskId, forHousing.ToJsonString());
        Assert.DoesNotContain(taskId, forProvider.ToJsonString());
    }

    [Fact]
    public async Task Search_ByRequesterAndStatus_FindsThePswsReferrals()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());

        var bundle = await (await psw.GetAsync($"/fhir/Task?requester=Organization/{GatewayFixture.Psw}&status=requested,accepted&_count=100")).JsonAsync();

        Assert.Equal("searchset", bundle["type"]!.GetValue<string>());
        Assert.Contains(taskId, bundle.ToJsonString());
    }

    [Fact]
    public async Task Search_ByFocus_FindsTheTaskOfThatServiceRequestOnly()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        var focus = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith("ServiceRequest/")).Split('/')[1];

        var bundle = await (await provider.GetAsync($"/fhir/Task?focus=ServiceRequest/{focus}")).JsonAsync();

        Assert.Equal(1, bundle["total"]!.GetValue<int>());
        Assert.Equal(taskId, bundle["entry"]![0]!["resource"]!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/fhir/Task?_lastUpdated=gtyesterday", "_lastUpdated")]
    [InlineData("/fhir/Task?status=finished", "status")]
    public async Task Search_WithBadParameter_Answers400NamingIt(string url, string parameter)
    {
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var response = await provider.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, (await response.JsonAsync()).IssueExpressions());
    }
}
