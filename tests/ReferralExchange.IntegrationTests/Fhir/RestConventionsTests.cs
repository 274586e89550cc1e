using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Fhir;

/// <summary>
/// The FHIR R4 REST conventions clients expect (issue 14 §2): content negotiation (http.html#mime),
/// conditional read and HEAD (http.html#cread), 428 for a missing precondition, Prefer: return
/// (http.html#ins), _summary / _elements marked SUBSETTED (search.html#summary, #elements), and
/// POST [type]/_search (http.html#search).
/// </summary>
public sealed class RestConventionsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string FhirXml = "application/fhir+xml";

    [Theory]
    [InlineData(null, FhirXml)]
    [InlineData("xml", null)]
    [InlineData("application/fhir+xml", null)]
    [InlineData("application/fhir%2Bxml", null)]
    public async Task Read_AskingForXml_AnswersFhirXml(string? format, string? accept)
    {
        var (provider, taskId) = await NewReferralAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Task/{taskId}" + (format is null ? string.Empty : $"?_format={format}"));
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);

        var response = await provider.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FhirXml, response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<Task xmlns=\"http://hl7.org/fhir\">", body);
        Assert.Contains($"<id value=\"{taskId}\" />", body);
    }

    [Fact]
    public async Task Search_AcceptXml_AnswersAnXmlSearchset()
    {
        var (provider, _) = await NewReferralAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&_count=1");
        request.Headers.Accept.ParseAdd("application/fhir+xml;q=0.9, application/fhir+json;q=0.5");

        var response = await provider.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(FhirXml, response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<Bundle xmlns=\"http://hl7.org/fhir\">", body);
        Assert.Contains("<type value=\"searchset\" />", body);
    }

    [Theory]
    [InlineData("/fhir/Task?_format=text/turtle", null, "_format")]
    [InlineData("/fhir/metadata", "text/html", "Accept")]
    public async Task Request_ForAFormatNotServed_Answers406OperationOutcome(string url, string? accept, string expression)
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        var outcome = await response.JsonAsync();
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Contains(expression, outcome.IssueExpressions());
    }

    [Fact]
    public async Task Error_WhenXmlIsAsked_IsAnXmlOperationOutcome()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var response = await client.GetAsync("/fhir/Task/no-such-task?_format=xml");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("<OperationOutcome xmlns=\"http://hl7.org/fhir\">", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Update_WithAnXmlBody_IsAcceptedAndAnsweredInXml()
    {
        var (provider, taskId) = await NewReferralAsync();
        var task = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        task["status"] = "accepted";
        var request = new HttpRequestMessage(HttpMethod.Put, $"/fhir/Task/{taskId}")
        {
            Content = new StringContent(ReferralExchange.Core.Fhir.FhirXml.FromJson(task.ToJsonString()), Encoding.UTF8, FhirXml),
        };
        request.Headers.TryAddWithoutValidation("If-Match", $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
        request.Headers.Accept.ParseAdd(FhirXml);

        var response = await provider.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<status value=\"accepted\" />", await response.Content.ReadAsStringAsync());
        Assert.Equal("accepted", (await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_WithMalformedXml_Answers400()
    {
        var (provider, _) = await NewReferralAsync();

        var response = await provider.PostAsync("/fhir/Procedure", new StringContent("<Procedure xmlns=\"http://hl7.org/fhir\"><status value=", Encoding.UTF8, FhirXml));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Read_IfNoneMatchTheCurrentETag_Answers304WithoutABody()
    {
        var (provider, taskId) = await NewReferralAsync();
        var first = await provider.GetAsync($"/fhir/Task/{taskId}");
        var etag = first.Headers.ETag!.ToString();

        var same = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Task/{taskId}");
        same.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var older = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Task/{taskId}");
        older.Headers.TryAddWithoutValidation("If-None-Match", "W/\"0\"");
        var notModified = await provider.SendAsync(same);
        var modified = await provider.SendAsync(older);

        Assert.Equal("W/\"1\"", etag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
    }

    [Fact]
    public async Task Read_IfModifiedSinceAfterTheChange_Answers304AndBeforeIt200()
    {
        var (provider, taskId) = await NewReferralAsync();
        var lastModified = (await provider.GetAsync($"/fhir/Task/{taskId}")).Content.Headers.LastModified!.Value;

        var after = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Task/{taskId}");
        after.Headers.IfModifiedSince = lastModified.AddSeconds(1);
        var before = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Task/{taskId}");
        before.Headers.IfModifiedSince = lastModified.AddSeconds(-1);

        Assert.Equal(HttpStatusCode.NotModified, (await provider.SendAsync(after)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await provider.SendAsync(before)).StatusCode);
    }

    [Theory]
    [InlineData("/fhir/Task/{0}")]
    [InlineData("/fhir/Task?_id={0}")]
    [InlineData("/fhir/Task/{0}/_history")]
    [InlineData("/fhir/metadata")]
    public async Task Head_AnswersLikeGetWithoutTheBody(string template)
    {
        var (provider, taskId) = await NewReferralAsync();
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, taskId);

        var get = await provider.GetAsync(url);
        var head = await provider.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.Content.Headers.ContentType!.MediaType, head.Content.Headers.ContentType!.MediaType);
        Assert.Equal(get.Headers.ETag?.ToString(), head.Headers.ETag?.ToString());
    }

    [Theory]
    [InlineData("return=minimal", 0)]
    [InlineData("return=OperationOutcome", 1)]
    [InlineData("return=representation", 2)]
    public async Task Update_WithPreferReturn_AnswersWhatWasAskedFor(string prefer, int expected)
    {
        var (provider, taskId) = await NewReferralAsync();
        var task = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        task["status"] = "accepted";
        var request = new HttpRequestMessage(HttpMethod.Put, $"/fhir/Task/{taskId}") { Content = new StringContent(task.ToJsonString(), Encoding.UTF8, HttpExtensions.FhirJson) };
        request.Headers.TryAddWithoutValidation("If-Match", "W/\"1\"");
        request.Headers.TryAddWithoutValidation("Prefer", prefer);

        var response = await provider.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag!.ToString());
        switch (expected)
        {
            case 0: Assert.Empty(body); break;
            case 1: Assert.Equal("OperationOutcome", JsonNode.Parse(body)!["resourceType"]!.GetValue<string>()); break;
            default: Assert.Equal("accepted", JsonNode.Parse(body)!["status"]!.GetValue<string>()); break;
        }
    }

    [Fact]
    public async Task Create_WithPreferMinimal_Answers201WithLocationAndNoBody()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = await ConsentReferrals.SubmitOkAsync(psw, [ConsentReferrals.Permit()]);
        var flow = new ReferralFlow(gateway, referral.TaskId, referral.ServiceRequestId, referral.PatientId);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        provider.DefaultRequestHeaders.TryAddWithoutValidation("Prefer", "return=minimal");
        await flow.MoveAsync(GatewayFixture.BehavioralHealth, "accepted");

        var response = await provider.PostFhirAsync("/fhir/Procedure", ProcedureJson(referral));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("return=minimal")]
    [InlineData("return=OperationOutcome")]
    [InlineData("return=representation")]
    public async Task CreateSubscription_WithPreferReturn_AnswersWhatWasAskedFor(string prefer)
    {
        // A Subscription is kept outside the versioned store, but its create honours Prefer as every other write does.
        await gateway.RegisterNotificationEndpointAsync(GatewayFixture.BehavioralHealth, "https://hooks.bh-riverside.example/fhir");
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/Subscription") { Content = new StringContent(new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["status"] = "requested",
            ["reason"] = "My inbox",
            ["criteria"] = $"Task?owner=Organization/{GatewayFixture.BehavioralHealth}",
            ["channel"] = new JsonObject { ["type"] = "rest-hook", ["endpoint"] = "https://hooks.bh-riverside.example/fhir/hook", ["payload"] = "application/fhir+json" },
        }.ToJsonString(), Encoding.UTF8, HttpExtensions.FhirJson) };
        request.Headers.TryAddWithoutValidation("Prefer", prefer);

        var response = await provider.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        Assert.NotNull(response.Headers.Location);
        switch (prefer)
        {
            case "return=minimal": Assert.Empty(body); break;
            case "return=OperationOutcome": Assert.Equal("OperationOutcome", JsonNode.Parse(body)!["resourceType"]!.GetValue<string>()); break;
            default: Assert.Equal("Subscription", JsonNode.Parse(body)!["resourceType"]!.GetValue<string>()); break;
        }
    }

    [Fact]
    public async Task Read_WithElements_KeepsThoseAndTheMandatoryOnesAndIsTaggedSubsetted()
    {
        var (provider, taskId) = await NewReferralAsync();

        var task = await (await provider.GetAsync($"/fhir/Task/{taskId}?_elements=status,owner")).JsonAsync();

        Assert.Equal("requested", task["status"]!.GetValue<string>());
        Assert.NotNull(task["owner"]);
        Assert.NotNull(task["intent"]);
        Assert.Null(task["focus"]);
        Assert.Null(task["for"]);
        AssertSubsetted(task);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("text")]
    [InlineData("data")]
    public async Task Read_WithSummary_IsTaggedSubsetted(string summary)
    {
        var (provider, taskId) = await NewReferralAsync();

        var task = await (await provider.GetAsync($"/fhir/Task/{taskId}?_summary={summary}")).JsonAsync();

        AssertSubsetted(task);
        Assert.Equal(taskId, task["id"]!.GetValue<string>());
        if (summary == "text") Assert.Null(task["focus"]);
    }

    [Fact]
    public async Task Search_SummaryCount_GivesTheTotalAndNoEntries()
    {
        var (provider, _) = await NewReferralAsync();

        var bundle = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&_summary=count")).JsonAsync();

        Assert.True(bundle["total"]!.GetValue<int>() >= 1);
        Assert.Null(bundle["entry"]);
    }

    [Fact]
    public async Task Search_WithElements_SubsetsTheMatches()
    {
        var (provider, taskId) = await NewReferralAsync();

        var bundle = await (await provider.GetAsync($"/fhir/Task?_id={taskId}&_elements=status&_include=Task:focus")).JsonAsync();

        var match = Assert.Single(bundle.Resources("match"));
        Assert.Null(match["focus"]);
        AssertSubsetted(match);
        Assert.NotNull(Assert.Single(bundle.Resources("include"))["subject"]);
        Assert.Contains("_elements=status", bundle.Link("self"));
    }

    [Fact]
    public async Task Read_ElementsOfWhatConsentRemoved_StaysRemoved()
    {
        // The police unit gets the minimum necessary of what the provider writes (docs/domain.md):
        // asking for the note by name does not bring it back.
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = await ConsentReferrals.SubmitOkAsync(psw, [ConsentReferrals.Permit()]);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var task = await (await provider.GetAsync($"/fhir/Task/{referral.TaskId}")).JsonAsync();
        task["status"] = "accepted";
        task["note"] = new JsonArray(new JsonObject { ["text"] = "owner note: crisis plan" });
        Assert.True((await provider.PutFhirAsync($"/fhir/Task/{referral.TaskId}", task, "W/\"1\"")).IsSuccessStatusCode);

        var elements = await (await psw.GetAsync($"/fhir/Task/{referral.TaskId}?_elements=note,status")).JsonAsync();
        var data = await (await psw.GetAsync($"/fhir/Task?_id={referral.TaskId}&_summary=data")).JsonAsync();

        Assert.Equal("accepted", elements["status"]!.GetValue<string>());
        Assert.DoesNotContain("crisis plan", elements.ToJsonString());
        Assert.DoesNotContain("crisis plan", data.ToJsonString());
    }

    [Fact]
    public async Task PostSearch_WithAFormBody_FindsWhatGetFinds()
    {
        var (provider, taskId) = await NewReferralAsync();
        var query = $"owner=Organization/{GatewayFixture.BehavioralHealth}&_id={taskId}";

        var viaGet = await (await provider.GetAsync($"/fhir/Task?{query}")).JsonAsync();
        var viaPost = await provider.PostAsync("/fhir/Task/_search", new FormUrlEncodedContent(
            [new("owner", $"Organization/{GatewayFixture.BehavioralHealth}"), new("_id", taskId)]));
        var posted = await viaPost.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, viaPost.StatusCode);
        Assert.Equal([taskId], posted.MatchIds());
        Assert.Equal(viaGet.MatchIds(), posted.MatchIds());
        Assert.Equal(viaGet.Link("self"), posted.Link("self"));
    }

    [Fact]
    public async Task PostSearch_WithoutAFormBody_Answers415()
    {
        var (provider, _) = await NewReferralAsync();

        var response = await provider.PostAsync("/fhir/Task/_search", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private async Task<(HttpClient Provider, string TaskId)> NewReferralAsync()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        return (gateway.ClientFor(GatewayFixture.BehavioralHealth), taskId);
    }

    private static void AssertSubsetted(JsonObject resource) =>
        Assert.Single(resource["meta"]!["tag"]!.AsArray(), t => t!["code"]!.GetValue<string>() == "SUBSETTED"
            && t["system"]!.GetValue<string>() == "http://terminology.hl7.org/CodeSystem/v3-ObservationValue");

    private static string ProcedureJson(ConsentReferrals.Submitted referral) => new JsonObject
    {
        ["resourceType"] = "Procedure",
        ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = $"ServiceRequest/{referral.ServiceRequestId}" }),
        ["status"] = "completed",
        ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/CodeSystem/delivered-service", ["code"] = "intake-appointment-attended" }) },
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{referral.PatientId}" },
        ["performedDateTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
    }.ToJsonString();
}
