using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>Every interaction leaves an AuditEvent naming who, what, whose data, why, when, from where and the outcome.</summary>
public abstract class AuditTrailSpec(GatewayFixture gateway)
{
    [Fact]
    public async Task Submission_IsRecordedAsCreateNamingPartnerCertificateWorkerPatientAndResources()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var patientId = PatientOf(response);

        var events = await EventsAsync(psw, $"patient=Patient/{patientId}");
        var create = events.Single(e => Subtype(e) == "create");

        Assert.Equal($"Organization/{GatewayFixture.Psw}", create["agent"]![0]!["who"]!["reference"]!.GetValue<string>());
        Assert.Equal(64, create["agent"]![0]!["altId"]!.GetValue<string>().Length);
        // agent[1] is the gateway (BALP agent[server]); the worker the referral names is BALP's agent[user], the requestor.
        var worker = create["agent"]!.AsArray().Single(a => a!["requestor"]!.GetValue<bool>())!;
        Assert.Equal("Jordan Caseworker", worker["who"]!["display"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", create["agent"]![0]!["network"]!["address"]!.GetValue<string>());
        var entities = create["entity"]!.AsArray().Select(e => e!["what"]?["reference"]?.GetValue<string>()).ToList();
        Assert.Contains($"Patient/{patientId}", entities);
        Assert.Contains($"Task/{taskId}/_history/1", entities);
        Assert.Equal("0", create["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadSearchAndUpdate_AreEachRecordedWithPurposeOfUse()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        provider.DefaultRequestHeaders.Add("X-Purpose-Of-Use", "TREAT");
        provider.DefaultRequestHeaders.Add("X-Request-Id", "req-" + Guid.NewGuid().ToString("N")[..12]);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var task = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        await provider.GetAsync($"/fhir/Task?patient=Patient/{PatientOf(response)}");
        task["status"] = "accepted";
        Assert.Equal(HttpStatusCode.OK, (await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"")).StatusCode);

        var events = await EventsAsync(provider, $"patient=Patient/{PatientOf(response)}");

        Assert.Contains(events, e => Subtype(e) == "read");
        Assert.Contains(events, e => Subtype(e) == "search-type" && e["type"]!["code"]!.GetValue<string>() == "rest");
        var update = events.Single(e => Subtype(e) == "update");
        Assert.Equal("TREAT", update["agent"]![0]!["purposeOfUse"]![0]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Contains(update["entity"]!.AsArray(), e => e!["what"]?["reference"]?.GetValue<string>() == $"Task/{taskId}/_history/2");
        Assert.Contains(update["entity"]!.AsArray(), e => e!["what"]?["identifier"]?["value"]?.GetValue<string>() == provider.DefaultRequestHeaders.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task RefusedRequest_IsRecordedAsAFailure()
    {
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        var missing = Guid.NewGuid().ToString();

        await housing.GetAsync($"/fhir/Task/{missing}");
        var events = await EventsAsync(housing, "_count=200");

        var refused = events.Single(e => e["entity"]!.AsArray().Any(x => x!["what"]?["reference"]?.GetValue<string>() == $"Task/{missing}"));
        Assert.Equal("4", refused["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task AuditEvents_APartnerSeesOnlyItsOwnActions_TheOperatorSeesAll()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        await provider.GetAsync($"/fhir/Task/{taskId}");

        var providerEvents = await EventsAsync(provider, "_count=200");
        var operatorEvents = await EventsAsync(operatorClient, "_count=200");

        Assert.NotEmpty(providerEvents);
        Assert.All(providerEvents, e => Assert.Equal($"Organization/{GatewayFixture.BehavioralHealth}", e["agent"]![0]!["who"]!["reference"]!.GetValue<string>()));
        Assert.Contains(operatorEvents, e => e["agent"]![0]!["who"]!["reference"]!.GetValue<string>() == $"Organization/{GatewayFixture.Psw}");
        Assert.Contains(operatorEvents, e => e["agent"]![0]!["who"]!["reference"]!.GetValue<string>() == $"Organization/{GatewayFixture.BehavioralHealth}");
    }

    [Fact]
    public async Task AccountingOfDisclosures_ListsWhoReceivedThePersonsDataAndWhy()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        provider.DefaultRequestHeaders.Add("X-Purpose-Of-Use", "TREAT");
        var (_, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var patientId = PatientOf(response);
        await provider.GetAsync($"/fhir/Patient/{patientId}");

        var accounting = await (await psw.GetAsync($"/fhir/Patient/{patientId}/$accounting-of-disclosures")).JsonAsync();
        var byOthers = await housing.GetAsync($"/fhir/Patient/{patientId}/$accounting-of-disclosures");

        var disclosure = Assert.Single(accounting["entry"]!.AsArray())!["resource"]!;
        Assert.Equal($"Organization/{GatewayFixture.BehavioralHealth}", disclosure["agent"]![0]!["who"]!["reference"]!.GetValue<string>());
        Assert.Equal("TREAT", disclosure["agent"]![0]!["purposeOfUse"]![0]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.NotNull(disclosure["recorded"]);
        Assert.Equal(HttpStatusCode.NotFound, byOthers.StatusCode);
    }

    [Fact]
    public async Task AccountingOfDisclosures_IncludesAnInboxPollThatReturnedThePersonsTask()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var (_, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var patientId = PatientOf(response);
        await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&_count=100");

        var accounting = await (await psw.GetAsync($"/fhir/Patient/{patientId}/$accounting-of-disclosures")).JsonAsync();

        Assert.Contains(accounting["entry"]!.AsArray(), e => e!["resource"]!["subtype"]![0]!["code"]!.GetValue<string>() == "search-type");
    }

    [Fact]
    public async Task OperatorEndpoints_RefuseOrdinaryPartners()
    {
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var response = await provider.GetAsync("/operator/audit/verify");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Operator_CannotReadReferralData()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());

        // The operator holds no scope for referral data at all: refused before any record is looked up.
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync($"/fhir/Task/{taskId}")).StatusCode);
    }

    private static async Task<List<JsonNode>> EventsAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/fhir/AuditEvent?{query}&_count=200");
        response.EnsureSuccessStatusCode();
        var bundle = await response.JsonAsync();
        return bundle["entry"]?.AsArray().Select(e => e!["resource"]!).ToList() ?? [];
    }

    private static string Subtype(JsonNode auditEvent) => auditEvent["subtype"]![0]!["code"]!.GetValue<string>();

    private static string PatientOf(JsonObject response) =>
        response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith("Patient/")).Split('/')[1];
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class AuditTrailTests(GatewayFixture gateway) : AuditTrailSpec(gateway), IClassFixture<GatewayFixture>;

/// <summary>The tests above on a real PostgreSQL server, the gateway running as the runtime role.</summary>
public sealed class AuditTrailTestsOnPostgreSql(PostgreSqlGatewayFixture gateway) : AuditTrailSpec(gateway), IClassFixture<PostgreSqlGatewayFixture>;
