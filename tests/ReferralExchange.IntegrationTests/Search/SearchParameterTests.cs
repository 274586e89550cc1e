using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;
using static ReferralExchange.IntegrationTests.Infrastructure.ConsentReferrals;

namespace ReferralExchange.IntegrationTests.Search;

/// <summary>
/// Search parameters, includes, the other searchable types and history paging (issue 14 §2):
/// _id, _sort, _total, lenient and strict handling with a self link that shows only what was
/// applied, _include Task:patient / Task:requester, _revinclude Procedure:based-on, search on
/// ServiceRequest / Patient / Consent / Procedure, and _since / _count on every history.
/// </summary>
public sealed class SearchParameterTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Bh = GatewayFixture.BehavioralHealth;

    [Fact]
    public async Task Search_ById_FindsExactlyThoseTasks()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(Bh);
        var a = (await psw.SubmitReferralAsync(ReferralSamples.Native())).TaskId;
        var b = (await psw.SubmitReferralAsync(ReferralSamples.Native())).TaskId;
        await psw.SubmitReferralAsync(ReferralSamples.Native());

        var bundle = await (await provider.GetAsync($"/fhir/Task?_id={a},{b}")).JsonAsync();

        Assert.Equal(new[] { a, b }.Order(), bundle.MatchIds().Order());
        Assert.Equal(2, bundle["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("priority", new[] { "routine", "urgent", "asap", "stat" })]
    [InlineData("-priority", new[] { "stat", "asap", "urgent", "routine" })]
    public async Task Search_SortedByPriority_FollowsTheValueSetOrderAcrossPages(string sort, string[] expected)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var va = gateway.ClientFor(GatewayFixture.Veterans);
        var mark = Mark();
        foreach (var urgency in new[] { "urgent", "stat", "routine", "asap" })
        {
            var referral = ReferralSamples.Native(recipient: GatewayFixture.Veterans, categories: ["veteran-status"]);
            referral["urgency"] = urgency;
            await psw.SubmitReferralAsync(referral);
        }

        var pages = await va.WalkAsync($"/fhir/Task?owner=Organization/{GatewayFixture.Veterans}&_lastUpdated=ge{mark}&_sort={sort}&_count=3");

        Assert.Equal(expected, pages.SelectMany(p => p.Resources("match")).Select(t => t["priority"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("authored-on", false)]
    [InlineData("-authored-on", true)]
    [InlineData("_lastUpdated", false)]
    [InlineData("-_lastUpdated", true)]
    public async Task Search_SortedByTime_ListsInThatDirection(string sort, bool newestFirst)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var va = gateway.ClientFor(GatewayFixture.Veterans);
        var mark = Mark();
        var submitted = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            submitted.Add((await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.Veterans, categories: ["veteran-status"]))).TaskId);
        }

        var ids = (await va.WalkAsync($"/fhir/Task?owner=Organization/{GatewayFixture.Veterans}&_lastUpdated=ge{mark}&_sort={sort}&_count=2")).SelectMany(p => p.MatchIds()).ToList();

        // authoredOn has whole seconds: ties fall back to lastUpdated, in the same direction.
        Assert.Equal(newestFirst ? Enumerable.Reverse(submitted) : submitted, ids);
    }

    [Fact]
    public async Task Search_Total_NoneLeavesItOutAndAccurateCounts()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(Bh);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        await psw.SubmitReferralAsync(ReferralSamples.Native());

        var none = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{Bh}&_total=none")).JsonAsync();
        var accurate = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{Bh}&_total=accurate&_count=1")).JsonAsync();

        Assert.Null(none["total"]);
        Assert.True(accurate["total"]!.GetValue<int>() >= 2);
        Assert.Single(accurate.MatchIds());
    }

    [Fact]
    public async Task Search_UnknownParameter_IsIgnoredAndLeftOutOfTheSelfLink()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(Bh);
        var taskId = (await psw.SubmitReferralAsync(ReferralSamples.Native())).TaskId;

        var bundle = await (await provider.GetAsync($"/fhir/Task?_id={taskId}&colour=blue&_include=Task:owner")).JsonAsync();

        Assert.Equal([taskId], bundle.MatchIds());
        var self = bundle.Link("self")!;
        Assert.Contains($"_id={taskId}", self);
        Assert.DoesNotContain("colour", self);
        Assert.DoesNotContain("Task%3Aowner", self);
    }

    [Theory]
    [InlineData("/fhir/Task?colour=blue", "colour")]
    [InlineData("/fhir/Task?_include=Task:owner", "_include")]
    [InlineData("/fhir/Patient?name=x", "name")]
    [InlineData("/fhir/Task/abc/_history?_at=2026", "_at")]
    [InlineData("/fhir/AuditEvent?colour=blue", "colour")]
    public async Task Search_UnknownParameterUnderStrictHandling_Answers400NamingIt(string url, string parameter)
    {
        using var provider = gateway.ClientFor(Bh);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Prefer", "handling=strict");

        var response = await provider.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task AuditEventSearch_UnknownParameterIgnored_AndNextLinksKeepThePatient()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(Bh);
        var referral = await SubmitOkAsync(psw, [Permit()]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/fhir/Task/{referral.TaskId}")).StatusCode);
        }
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync("/fhir/Task?_count=1")).StatusCode);

        var lenient = await provider.GetAsync("/fhir/AuditEvent?colour=blue&_count=1");
        // Reading the trail is audited too (about the same patient), so the walk is bounded here, not followed to its end.
        var pages = new List<System.Text.Json.Nodes.JsonObject> { await (await provider.GetAsync($"/fhir/AuditEvent?patient=Patient/{referral.PatientId}&_count=1")).JsonAsync() };
        for (var i = 0; i < 2 && pages[^1].Link("next") is { } next; i++)
        {
            pages.Add(await (await provider.GetAsync(next)).JsonAsync());
        }

        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
        Assert.DoesNotContain("colour", (await lenient.JsonAsync()).Link("self"));
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.All(pages, p => Assert.Contains($"patient=Patient%2F{referral.PatientId}", p.Link("self")));
        Assert.All(pages.SelectMany(p => p.Resources()), e => Assert.Contains(e["entity"]!.AsArray(),
            x => x!["what"]?["reference"]?.GetValue<string>() == $"Patient/{referral.PatientId}"));
    }

    [Fact]
    public async Task Search_IncludePatientRequesterAndRevIncludeProcedures_BringsTheReferralsRecords()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(Bh);
        var referral = await SubmitOkAsync(psw, [Permit(classes: ["referral", "demographics", "contact", "mental-health", "outcome"])]);
        var flow = new ReferralFlow(gateway, referral.TaskId, referral.ServiceRequestId, referral.PatientId);
        await flow.MoveAsync(Bh, "accepted");
        var procedure = await flow.RecordDeliveryAsync(Bh, "intake-appointment-attended");

        var bundle = await (await provider.GetAsync(
            $"/fhir/Task?_id={referral.TaskId}&_include=Task:patient&_include=Task:requester&_revinclude=Procedure:based-on")).JsonAsync();

        Assert.Equal([referral.TaskId], bundle.MatchIds());
        var included = bundle.References("include");
        Assert.Contains($"Patient/{referral.PatientId}", included);
        Assert.Contains($"Organization/{GatewayFixture.Psw}", included);
        Assert.Contains(procedure, included);
    }

    [Fact]
    public async Task Search_OtherTypes_FindTheCallersReferralsOnly()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(Bh);
        using var va = gateway.ClientFor(GatewayFixture.Veterans);
        var referral = await SubmitOkAsync(psw, [Permit()]);
        var flow = new ReferralFlow(gateway, referral.TaskId, referral.ServiceRequestId, referral.PatientId);
        await flow.MoveAsync(Bh, "accepted");
        var procedure = await flow.RecordDeliveryAsync(Bh, "intake-appointment-attended");

        foreach (var (type, id) in new[] { ("ServiceRequest", referral.ServiceRequestId), ("Patient", referral.PatientId), ("Consent", referral.ConsentIds[0]), ("Procedure", procedure.Split('/')[1]) })
        {
            var mine = await (await provider.GetAsync($"/fhir/{type}?_id={id}")).JsonAsync();
            var theirs = await (await va.GetAsync($"/fhir/{type}?_id={id}")).JsonAsync();
            var all = (await provider.WalkAsync($"/fhir/{type}?_count=50&_sort=-_lastUpdated")).SelectMany(p => p.MatchIds()).ToList();

            Assert.Equal([id], mine.MatchIds());
            Assert.Empty(theirs.MatchIds());
            Assert.Contains(id, all);
        }
        var withProcedures = await (await provider.GetAsync($"/fhir/ServiceRequest?_id={referral.ServiceRequestId}&_revinclude=Procedure:based-on")).JsonAsync();
        Assert.Equal([procedure], withProcedures.References("include"));
    }

    [Fact]
    public async Task InstanceHistory_WithCountAndSince_PagesNewestFirst()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = await SubmitOkAsync(psw, [Permit()]);
        var flow = new ReferralFlow(gateway, referral.TaskId, referral.ServiceRequestId, referral.PatientId);
        await flow.MoveAsync(Bh, "accepted");
        await flow.MoveAsync(Bh, "in-progress");
        using var provider = gateway.ClientFor(Bh);

        var pages = await provider.WalkAsync($"/fhir/Task/{referral.TaskId}/_history?_count=1");
        var versions = pages.SelectMany(p => p.Resources()).Select(r => r["meta"]!["versionId"]!.GetValue<string>()).ToList();
        var second = (await (await provider.GetAsync($"/fhir/Task/{referral.TaskId}/_history/2")).JsonAsync())["meta"]!["lastUpdated"]!.GetValue<string>();
        var since = await (await provider.GetAsync($"/fhir/Task/{referral.TaskId}/_history?_since={Uri.EscapeDataString(second)}")).JsonAsync();

        Assert.Equal(["3", "2", "1"], versions);
        Assert.All(pages, p => Assert.Equal(3, p["total"]!.GetValue<int>()));
        Assert.Equal(["3", "2"], since.Resources().Select(r => r["meta"]!["versionId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TypeHistory_ListsTheCallersVersionsNewestFirstAndOthersNone()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var mark = Mark();
        var referral = await SubmitOkAsync(psw, [Permit()]);
        var flow = new ReferralFlow(gateway, referral.TaskId, referral.ServiceRequestId, referral.PatientId);
        await flow.MoveAsync(Bh, "accepted");
        using var provider = gateway.ClientFor(Bh);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);

        var pages = await provider.WalkAsync($"/fhir/Task/_history?_since={mark}&_count=1");
        var entries = pages.SelectMany(p => p["entry"]?.AsArray() ?? []).ToList();
        var others = await (await housing.GetAsync($"/fhir/Task/_history?_since={mark}")).JsonAsync();

        Assert.Equal("history", pages[0]["type"]!.GetValue<string>());
        Assert.Equal([$"Task/{referral.TaskId}/2", $"Task/{referral.TaskId}/1"],
            entries.Select(e => $"Task/{e!["resource"]!["id"]!.GetValue<string>()}/{e["resource"]!["meta"]!["versionId"]!.GetValue<string>()}"));
        Assert.Equal(["PUT", "POST"], entries.Select(e => e!["request"]!["method"]!.GetValue<string>()));
        Assert.DoesNotContain(referral.TaskId, others.ToJsonString());
    }

    private static string Mark() => DateTimeOffset.UtcNow.AddMilliseconds(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
}
