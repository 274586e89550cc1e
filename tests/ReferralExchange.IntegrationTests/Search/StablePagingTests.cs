using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Search;

/// <summary>
/// Stable paging (issue 14 §3, ADR 0018): a walk along next links is a snapshot of the Tasks as they
/// stood at its first page. Every Task unchanged during the walk appears exactly once, in order; no
/// Task appears twice; a Task changed during the walk leaves it and is what the next poll with
/// <c>_lastUpdated=gt{Bundle.meta.lastUpdated}</c> returns. The union of the walk and that poll is
/// every Task, each once.
/// </summary>
public sealed class StablePagingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Va = GatewayFixture.Veterans;

    [Theory]
    [InlineData("_lastUpdated")]
    [InlineData("-_lastUpdated")]
    [InlineData("-priority")]
    [InlineData("authored-on")]
    public async Task Walk_WhileTasksAreAcceptedAndUpdated_NeitherSkipsNorRepeatsRelativeToItsSnapshot(string sort)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var va = gateway.ClientFor(Va);
        var mark = DateTimeOffset.UtcNow.AddMilliseconds(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        var submitted = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            submitted.Add((await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: Va, categories: ["veteran-status"]))).TaskId);
        }
        var search = $"/fhir/Task?owner=Organization/{Va}&_lastUpdated=ge{mark}&_sort={sort}&_count=2";
        var changed = new List<string>();

        // A quiet walk gives the order; the second walk changes Tasks after its first page.
        var pages = await va.WalkAsync(search);
        var order = pages.SelectMany(p => p.MatchIds()).ToList();
        Assert.Equal(submitted.OrderBy(x => x), order.OrderBy(x => x));

        pages = await va.WalkAsync(search, between: async page =>
        {
            if (page != 1) return;
            var notYetReturned = order[^1];
            var alreadyReturned = order[0];
            await AcceptAsync(va, notYetReturned);
            await AddNoteAsync(va, alreadyReturned);
            changed.AddRange([notYetReturned, alreadyReturned]);
        });
        var walked = pages.SelectMany(p => p.MatchIds()).ToList();
        var snapshot = pages[0]["meta"]!["lastUpdated"]!.GetValue<string>();

        Assert.Equal(walked.Count, walked.Distinct().Count());
        Assert.All(submitted.Except(changed), id => Assert.Single(walked, id));
        Assert.Equal(order.Where(walked.Contains), walked);
        Assert.DoesNotContain(order[^1], walked);
        Assert.Contains(order[0], walked);
        Assert.All(pages, p => Assert.Equal(snapshot, p["meta"]!["lastUpdated"]!.GetValue<string>()));

        var delta = await (await va.GetAsync($"/fhir/Task?owner=Organization/{Va}&_lastUpdated=gt{Uri.EscapeDataString(snapshot)}&_count=100")).JsonAsync();
        Assert.Equal(changed.Order(), delta.MatchIds().Order());
        Assert.Equal(submitted.Order(), walked.Union(delta.MatchIds()).Order());
    }

    [Fact]
    public async Task Walk_NewestFirst_ListsTheLatestChangeFirst()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var va = gateway.ClientFor(Va);
        var mark = DateTimeOffset.UtcNow.AddMilliseconds(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        var first = (await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: Va, categories: ["veteran-status"]))).TaskId;
        var second = (await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: Va, categories: ["veteran-status"]))).TaskId;
        await AcceptAsync(va, first);

        var walked = (await va.WalkAsync($"/fhir/Task?owner=Organization/{Va}&_lastUpdated=ge{mark}&_sort=-_lastUpdated&_count=1")).SelectMany(p => p.MatchIds()).ToList();

        Assert.Equal([first, second], walked);
    }

    [Fact]
    public async Task NextLink_Altered_IsRefusedWith400()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        var next = new Uri((await (await psw.GetAsync("/fhir/Task?_count=1")).JsonAsync()).Link("next")!).PathAndQuery;

        // Another search's parameters with this cursor, and a cursor with one character changed.
        var foreign = await psw.GetAsync(next.Replace("_count=1", "_count=1&status=accepted"));
        var cursorAt = next.IndexOf("_cursor=", StringComparison.Ordinal) + "_cursor=".Length + 3;
        var forged = await psw.GetAsync(next[..cursorAt] + (next[cursorAt] == 'A' ? 'B' : 'A') + next[(cursorAt + 1)..]);

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("_cursor", (await forged.JsonAsync()).IssueExpressions());
    }

    private static async Task AcceptAsync(HttpClient owner, string taskId)
    {
        var task = await (await owner.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        task["status"] = "accepted";
        var response = await owner.PutFhirAsync($"/fhir/Task/{taskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task AddNoteAsync(HttpClient owner, string taskId)
    {
        var task = await (await owner.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        task["note"] = new JsonArray(new JsonObject { ["text"] = "Called, left a message" });
        var response = await owner.PutFhirAsync($"/fhir/Task/{taskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
