using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit.Balp;

/// <summary>
/// Issue 14 point 6: the AuditEvents of a receiving partner's workflow (read, query, update, create)
/// name their IHE BALP profile, and each one holds that profile's required elements
/// (<see cref="BalpRequiredElements"/>, rules transcribed from the IG).
/// </summary>
public sealed class BalpAuditEventTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Bh = GatewayFixture.BehavioralHealth;

    [Fact]
    public async Task EachEmittedKind_HoldsItsBalpProfilesRequiredElements()
    {
        var (patientId, events) = await WorkflowEventsAsync();

        var profiled = events.Where(e => e["meta"]?["profile"] is not null).ToList();
        var profiles = profiled.Select(e => e["meta"]!["profile"]![0]!.GetValue<string>()).ToHashSet();
        foreach (var expected in new[] { "PatientRead", "PatientQuery", "PatientUpdate", "PatientCreate" })
        {
            Assert.Contains($"{BalpRequiredElements.Canonical}IHE.BasicAudit.{expected}", profiles);
        }
        var violations = profiled.SelectMany(e => BalpRequiredElements.Violations(e, e["meta"]!["profile"]![0]!.GetValue<string>()[BalpRequiredElements.Canonical.Length..])
            .Select(v => $"AuditEvent/{e["id"]}: {v}")).ToList();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.NotEmpty(patientId);
    }

    [Fact]
    public async Task QueryWithoutResults_IsABalpQuery_WithTheQueryInBase64()
    {
        using var bh = gateway.ClientFor(Bh);
        Assert.Equal(HttpStatusCode.OK, (await bh.GetAsync("/fhir/Task?status=failed&_lastUpdated=lt2001-01-01")).StatusCode);

        var query = (await EventsAsync(bh, null)).Last(e => Subtype(e) == "search-type" && e["entity"]!.AsArray().All(x => x!["role"]?["code"]?.GetValue<string>() != "1"));

        Assert.Equal($"{BalpRequiredElements.Canonical}IHE.BasicAudit.Query", query["meta"]!["profile"]![0]!.GetValue<string>());
        Assert.Empty(BalpRequiredElements.Violations(query, "IHE.BasicAudit.Query"));
        var entity = query["entity"]!.AsArray().Single(x => x!["role"]?["code"]?.GetValue<string>() == "24")!;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entity["query"]!.GetValue<string>()));
        Assert.StartsWith("Task?", decoded);
        Assert.Contains("status=failed", decoded);
    }

    [Fact]
    public async Task ReadOfDirectoryData_IsABalpReadWithoutAPatient()
    {
        // Not every emitted kind is about a person: a partner's Organization is directory data, its read BALP's plain Read.
        using var bh = gateway.ClientFor(Bh);
        Assert.Equal(HttpStatusCode.OK, (await bh.GetAsync($"/fhir/Organization/{GatewayFixture.Psw}")).StatusCode);

        var read = (await EventsAsync(bh, null)).Last(e => Subtype(e) == "read"
            && e["entity"]!.AsArray().Any(x => x!["what"]?["reference"]?.GetValue<string>()?.StartsWith($"Organization/{GatewayFixture.Psw}", StringComparison.Ordinal) == true));

        Assert.Equal($"{BalpRequiredElements.Canonical}IHE.BasicAudit.Read", read["meta"]!["profile"]![0]!.GetValue<string>());
        Assert.Empty(BalpRequiredElements.Violations(read, "IHE.BasicAudit.Read"));
        Assert.DoesNotContain(read["entity"]!.AsArray(), x => x!["what"]?["reference"]?.GetValue<string>()?.StartsWith("Patient/", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task TheServerAgentAndObserver_AreTheGatewayDevice_WhichResolves()
    {
        var (_, events) = await WorkflowEventsAsync();
        var read = events.First(e => Subtype(e) == "read");

        var observer = read["source"]!["observer"]!["reference"]!.GetValue<string>();
        Assert.Contains(read["agent"]!.AsArray(), a => a!["who"]?["reference"]?.GetValue<string>() == observer && a["requestor"]!.GetValue<bool>() == false);
        Assert.Equal("4", read["source"]!["type"]![0]!["code"]!.GetValue<string>());
        using var bh = gateway.ClientFor(Bh);
        var device = await bh.GetAsync($"/fhir/{observer}");
        Assert.Equal(HttpStatusCode.OK, device.StatusCode);
        Assert.Equal("Device", (await device.JsonAsync())["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithoutANamedPerson_ThePartnersSystemIsTheRequestor()
    {
        var (_, events) = await WorkflowEventsAsync();
        var update = events.First(e => Subtype(e) == "update");

        var requestors = update["agent"]!.AsArray().Where(a => a!["requestor"]!.GetValue<bool>()).ToList();

        var requestor = Assert.Single(requestors)!;
        Assert.Equal($"Organization/{Bh}", requestor["who"]!["reference"]!.GetValue<string>());
        Assert.NotNull(requestor["network"]);
    }

    /// <summary>As the receiving partner: read the Task, search the patient's Tasks, accept, record a delivery; then its AuditEvents about the patient.</summary>
    private async Task<(string PatientId, List<JsonNode> Events)> WorkflowEventsAsync()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        string Of(string type) => response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith(type + "/", StringComparison.Ordinal)).Split('/')[1];
        var flow = new ReferralFlow(gateway, taskId, Of("ServiceRequest"), Of("Patient"));
        using var bh = gateway.ClientFor(Bh);
        Assert.Equal(HttpStatusCode.OK, (await bh.GetAsync($"/fhir/Task/{taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bh.GetAsync($"/fhir/Task?patient=Patient/{flow.PatientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(Bh, "accepted")).StatusCode);
        await flow.RecordDeliveryAsync(Bh, "intake-appointment-attended");
        return (flow.PatientId, await EventsAsync(bh, $"patient=Patient/{flow.PatientId}"));
    }

    private static async Task<List<JsonNode>> EventsAsync(HttpClient client, string? query)
    {
        var response = await client.GetAsync($"/fhir/AuditEvent?_count=200{(query is null ? string.Empty : "&" + query)}");
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())["entry"]?.AsArray().Select(e => e!["resource"]!).ToList() ?? [];
    }

    private static string? Subtype(JsonNode e) => e["subtype"]?[0]?["code"]?.GetValue<string>();
}
