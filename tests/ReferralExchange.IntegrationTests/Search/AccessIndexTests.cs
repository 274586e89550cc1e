using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ReferralExchange.IntegrationTests.Infrastructure;
using static ReferralExchange.IntegrationTests.Infrastructure.ConsentReferrals;

namespace ReferralExchange.IntegrationTests.Search;

/// <summary>
/// Search pages by the access index (ADR 0009); reads by id ask the consent engine directly. After
/// random consents, revocations, claims and Task moves, the two must agree for every partner, and
/// a page must not depend on how much is stored.
/// </summary>
public sealed class AccessIndexTests(GatewayFixture gateway, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<GatewayFixture>
{
    private const string Bh = GatewayFixture.BehavioralHealth;
    private const string Housing = GatewayFixture.Housing;
    private const string Va = GatewayFixture.Veterans;
    private const string Psw = GatewayFixture.Psw;
    private static readonly string[] Partners = [Bh, Housing, Va, Psw];

    [Fact]
    public async Task Search_AfterRandomConsentsRevocationsAndMoves_FindsExactlyWhatReadByIdDiscloses()
    {
        var random = new Random(20261201);
        using var psw = gateway.ClientFor(Psw);
        var submitted = new List<Submitted>();
        for (var i = 0; i < 24; i++)
        {
            var consents = Enumerable.Range(0, random.Next(1, 3)).Select(_ => RandomConsent(random)).ToList();
            var performer = new[] { Bh, Housing, null }[random.Next(3)];
            var categories = performer is null ? new[] { "housing-instability" } : ["mental-health"];
            var (status, referral, _) = await SubmitAsync(psw, consents, categories, performer);
            if (status == HttpStatusCode.Created)
            {
                submitted.Add(referral!);
            }
        }
        Assert.True(submitted.Count >= 12, $"only {submitted.Count} random referrals were accepted");
        // A submission writes its rows without asking the database (ADR 0030): they must be the
        // rows the engine computes from what was stored.
        await AssertIndexAgreesWithEngineAsync();

        foreach (var referral in submitted)
        {
            switch (random.Next(4))
            {
                case 0:
                    await psw.PostAsync($"/fhir/Consent/{referral.ConsentIds[0]}/$revoke", null);
                    break;
                case 1:
                    foreach (var partner in new[] { Housing, Va })
                    {
                        using var client = gateway.ClientFor(partner);
                        await client.PostAsync($"/fhir/Task/{referral.TaskId}/$claim", null);
                    }
                    break;
                case 2:
                    foreach (var partner in new[] { Bh, Housing })
                    {
                        await TryAcceptAsync(partner, referral.TaskId);
                    }
                    break;
            }
        }

        await AssertIndexAgreesWithEngineAsync();
        var ours = submitted.Select(s => s.TaskId).ToHashSet();
        foreach (var partner in Partners)
        {
            using var client = gateway.ClientFor(partner);
            var found = (await WalkAsync(client, "/fhir/Task?_count=7")).Where(ours.Contains).ToHashSet();
            var readable = new HashSet<string>();
            foreach (var taskId in ours)
            {
                var read = await client.GetAsync($"/fhir/Task/{taskId}");
                Assert.True(read.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{partner} read {taskId}: {(int)read.StatusCode}");
                if (read.StatusCode == HttpStatusCode.OK)
                {
                    readable.Add(taskId);
                }
            }
            Assert.True(readable.SetEquals(found),
                $"{partner}: search found [{string.Join(",", found.Except(readable))}] unreadable and missed [{string.Join(",", readable.Except(found))}]");
        }
    }

    [Fact]
    public async Task Revocation_IsVisibleToTheVeryNextSearch()
    {
        using var psw = gateway.ClientFor(Psw);
        using var bh = gateway.ClientFor(Bh);
        var referral = await SubmitOkAsync(psw, [Permit()]);
        var query = $"/fhir/Task?focus=ServiceRequest/{referral.ServiceRequestId}";
        Assert.Equal([referral.TaskId], await WalkAsync(bh, query));

        Assert.Equal(HttpStatusCode.OK, (await psw.PostAsync($"/fhir/Consent/{referral.ConsentIds[0]}/$revoke", null)).StatusCode);

        Assert.Empty(await WalkAsync(bh, query));
        Assert.Equal([referral.TaskId], await WalkAsync(psw, query));
    }

    [Fact]
    public async Task Inbox_OfFortyThousandOpenItems_AnswersAPageAndWalksOnByCursor()
    {
        using var psw = gateway.ClientFor(Psw);
        using var va = gateway.ClientFor(Va);
        var template = await SubmitOkAsync(psw, [Permit(actors: [Va])], performer: Va);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        CloneReferral(template, copies: 40_000);
        output.WriteLine($"cloned 40,000 referrals in {watch.ElapsedMilliseconds} ms");
        watch.Restart();

        var first = await (await va.GetAsync($"/fhir/Task?owner=Organization/{Va}&status=requested&_count=20&_total=accurate")).JsonAsync();
        Assert.True(first["total"]!.GetValue<int>() >= 40_001, first["total"]?.ToJsonString());
        Assert.Equal(20, first["entry"]!.AsArray().Count);
        output.WriteLine($"first page with an accurate total in {watch.ElapsedMilliseconds} ms");
        var next = NextLink(first) ?? throw new InvalidOperationException("no next link");
        var second = await (await va.GetAsync(new Uri(next).PathAndQuery)).JsonAsync();
        Assert.Equal(20, second["entry"]!.AsArray().Count);
        Assert.Empty(Ids(first).Intersect(Ids(second)));

        // The default total is left out when it would cost a count over every match.
        var plain = await (await va.GetAsync($"/fhir/Task?owner=Organization/{Va}&status=requested")).JsonAsync();
        Assert.Null(plain["total"]);
    }

    [Fact]
    public async Task Cursor_GarbledOrAnotherCallers_IsRefused()
    {
        using var housing = gateway.ClientFor(Housing);
        var garbled = await housing.GetAsync("/fhir/Task?_cursor=!!not-a-cursor!!");
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Contains("_cursor", (await garbled.JsonAsync()).IssueExpressions());

        // A next link issued to the source is bound to it: shown by another partner it is foreign.
        using var psw = gateway.ClientFor(Psw);
        await SubmitOkAsync(psw, [Permit()]);
        await SubmitOkAsync(psw, [Permit()]);
        var next = NextLink(await (await psw.GetAsync("/fhir/Task?_count=1")).JsonAsync()) ?? throw new InvalidOperationException("no next link");
        var foreign = await housing.GetAsync(new Uri(next).PathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("_cursor", (await foreign.JsonAsync()).IssueExpressions());
    }

    /// <summary><c>rx access verify</c> against the running gateway's database: every stored row is what the engine decides.</summary>
    private async Task AssertIndexAgreesWithEngineAsync()
    {
        using var output = new StringWriter();
        var exit = await ReferralExchange.Cli.CliApp.RunAsync(["access", "verify", "--database", gateway.DatabasePath], output);
        Assert.True(exit == 0, output.ToString());
        Assert.StartsWith("AGREES", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Accepts the Task as this partner if it may see it (the state machine decides whether it may move it).</summary>
    private async Task TryAcceptAsync(string partner, string taskId)
    {
        using var client = gateway.ClientFor(partner);
        var read = await client.GetAsync($"/fhir/Task/{taskId}");
        if (read.StatusCode != HttpStatusCode.OK)
        {
            return;
        }
        var task = await read.JsonAsync();
        task["status"] = "accepted";
        await client.PutFhirAsync($"/fhir/Task/{taskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
    }

    private static ConsentSpec RandomConsent(Random random)
    {
        string[] Pick(string[] values) => values.Where(_ => random.Next(2) == 0).DefaultIfEmpty(values[random.Next(values.Length)]).ToArray();
        var (start, end) = random.Next(5) switch
        {
            0 => ("2025-01-01", "2025-12-31"),
            1 => ("2026-01-01", DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd")),
            _ => ("2026-01-01", "2027-12-31"),
        };
        var nested = random.Next(3) == 0
            ? new[] { new Provision("deny", Actors: Pick([Bh, Housing, Va]), Classes: ["referral"]) }
            : null;
        return new ConsentSpec(
            new Provision(random.Next(6) == 0 ? "deny" : "permit", Pick([Bh, Housing, Va]), Pick(["TREAT", "CAREMGT"]),
                random.Next(5) == 0 ? ["demographics"] : ["referral", "demographics", "mental-health", "housing"], null, start, end, nested),
            Status: random.Next(6) == 0 ? "inactive" : "active");
    }

    private static async Task<List<string>> WalkAsync(HttpClient client, string first)
    {
        var ids = new List<string>();
        string? next = first;
        for (var pages = 0; next is not null && pages < 1000; pages++)
        {
            var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.JsonAsync();
            ids.AddRange(Ids(page));
            next = NextLink(page) is { } url ? new Uri(url).PathAndQuery : null;
        }
        return ids;
    }

    private static IEnumerable<string> Ids(JsonObject bundle) =>
        (bundle["entry"]?.AsArray() ?? []).Where(e => e!["search"]?["mode"]?.GetValue<string>() == "match")
            .Select(e => e!["resource"]!["id"]!.GetValue<string>());

    private static string? NextLink(JsonObject bundle) =>
        bundle["link"]!.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == "next")?["url"]!.GetValue<string>();

    /// <summary>
    /// Copies one stored referral's rows (referral, participants, resources, Task index and access
    /// rows) under new ids in one SQL transaction: 40,000 open items in seconds, where the HTTP path
    /// would take minutes. Audit rows are not copied: this test is about search, not the trail.
    /// </summary>
    private void CloneReferral(Submitted template, int copies)
    {
        using var connection = new SqliteConnection($"Data Source={gateway.DatabasePath};Default Timeout=60");
        connection.Open();
        // Each copied version carries the hash of its new bytes, as the gateway writes it (ADR 0012):
        // reads check it. (The copies have no audit records; verify --resources would name them.)
        connection.CreateFunction("rx_content_hash", (string json) => ReferralExchange.Core.Storage.ResourceContentHash.Of(json));
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$task", template.TaskId);
        command.Parameters.AddWithValue("$n", copies);
        command.CommandText = """
            CREATE TEMP TABLE copies AS
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n) SELECT i FROM n;
            CREATE TEMP TABLE tmpl AS SELECT ReferralKey AS k FROM TaskIndex WHERE TaskId = $task;
            INSERT INTO Referrals (ReferralKey, RequesterId, IdentifierSystem, IdentifierValue, RecipientId, PatientId, CreatedTicks, ResponseJson)
              SELECT r.ReferralKey || '-' || c.i, r.RequesterId, r.IdentifierSystem, r.IdentifierValue || '-' || c.i, r.RecipientId, r.PatientId, r.CreatedTicks, r.ResponseJson
              FROM Referrals r, copies c WHERE r.ReferralKey = (SELECT k FROM tmpl);
            INSERT INTO ReferralParticipants (ReferralKey, PartnerId, Role)
              SELECT p.ReferralKey || '-' || c.i, p.PartnerId, p.Role FROM ReferralParticipants p, copies c WHERE p.ReferralKey = (SELECT k FROM tmpl);
            INSERT INTO ResourceVersions (ResourceType, ResourceId, VersionId, LastUpdatedTicks, Json, ReferralKey, SecurityLabels, ContentHash)
              SELECT ResourceType, ResourceId, VersionId, LastUpdatedTicks, Json, ReferralKey, SecurityLabels, rx_content_hash(Json) FROM (
                SELECT v.ResourceType, v.ResourceId || '-' || c.i AS ResourceId, v.VersionId, v.LastUpdatedTicks + c.i AS LastUpdatedTicks,
                       replace(v.Json, '"id":"' || v.ResourceId || '"', '"id":"' || v.ResourceId || '-' || c.i || '"') AS Json, v.ReferralKey || '-' || c.i AS ReferralKey, v.SecurityLabels
                FROM ResourceVersions v, copies c WHERE v.ReferralKey = (SELECT k FROM tmpl));
            INSERT INTO ResourceHeads (ResourceType, ResourceId, CurrentVersion, LastUpdatedTicks, ReferralKey)
              SELECT h.ResourceType, h.ResourceId || '-' || c.i, h.CurrentVersion, h.LastUpdatedTicks + c.i, h.ReferralKey || '-' || c.i
              FROM ResourceHeads h, copies c WHERE h.ReferralKey = (SELECT k FROM tmpl);
            INSERT INTO TaskIndex (TaskId, ReferralKey, Status, OwnerId, RequesterId, PatientId, FocusId, LastUpdatedTicks, Labels)
              SELECT t.TaskId || '-' || c.i, t.ReferralKey || '-' || c.i, t.Status, t.OwnerId, t.RequesterId, t.PatientId, t.FocusId || '-' || c.i, t.LastUpdatedTicks + c.i, t.Labels
              FROM TaskIndex t, copies c WHERE t.TaskId = $task;
            INSERT INTO TaskAccess (TaskId, ReferralKey, PartnerId, Purpose, FromTicks, UntilTicks)
              SELECT a.TaskId || '-' || c.i, a.ReferralKey || '-' || c.i, a.PartnerId, a.Purpose, a.FromTicks, a.UntilTicks FROM TaskAccess a, copies c WHERE a.TaskId = $task;
            """;
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
