using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Workflow;

/// <summary>
/// Proof of delivery speaks the delivered-service ValueSet, and Task.output is the receiving
/// partner's alone: both refused with 422 and the element path otherwise.
/// </summary>
public sealed class ProofOfDeliveryTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Bh = GatewayFixture.BehavioralHealth;
    private const string Psw = GatewayFixture.Psw;
    private const string Delivered = "https://referral-exchange.example/fhir/CodeSystem/delivered-service";

    [Fact]
    public async Task Procedure_WithACodeOutsideTheDeliveredServiceValueSet_Answers422WithThePath()
    {
        var flow = await NewReferralAsync();
        var response = await flow.TryRecordDeliveryAsync(Bh, "admitted-to-inpatient-psych");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Procedure.code.coding[0].code", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task Completion_WithADeliveredServiceCodeOutsideTheValueSet_Answers422AndIsNotDelivered()
    {
        var flow = await NewReferralAsync();
        await flow.MoveAsync(Bh, "accepted");

        var response = await flow.MoveAsync(Bh, "completed", output: Coded(("service-provided-maybe", Delivered)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Task.output[0].valueCodeableConcept.coding[0].code", (await response.JsonAsync()).IssueExpressions());
        var tracked = await TrackedAsync(flow.TaskId);
        Assert.Equal("accepted", tracked["status"]!.GetValue<string>());
        Assert.False(tracked["delivered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Completion_WithAValidCodeBesideAnInvalidOne_Answers422NamingTheInvalidOne()
    {
        var flow = await NewReferralAsync();
        await flow.MoveAsync(Bh, "accepted");

        var response = await flow.MoveAsync(Bh, "completed", output: Coded(("service-provided", Delivered), ("not-a-service", Delivered)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(new[] { "Task.output[0].valueCodeableConcept.coding[1].code" }, (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task Completion_WithAMemberCode_IsDelivered()
    {
        var flow = await NewReferralAsync();
        await flow.MoveAsync(Bh, "accepted");

        Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(Bh, "completed", output: Coded(("treatment-started", Delivered)))).StatusCode);
        Assert.True((await TrackedAsync(flow.TaskId))["delivered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Requester_CancellingWithAnOutput_Answers422NamingTaskOutputAndNothingIsStored()
    {
        var flow = await NewReferralAsync();
        await flow.MoveAsync(Bh, "accepted");
        using var psw = gateway.ClientFor(Psw);
        var task = await (await psw.GetAsync($"/fhir/Task/{flow.TaskId}")).JsonAsync();
        task["status"] = "cancelled";
        task["statusReason"] = new JsonObject { ["text"] = "Person moved away" };
        task["output"] = new JsonArray(new JsonObject { ["type"] = new JsonObject { ["text"] = "note" }, ["valueString"] = "written by the requester" });

        var response = await psw.PutFhirAsync($"/fhir/Task/{flow.TaskId}", task, "W/\"2\"");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(new[] { "Task.output" }, (await response.JsonAsync()).IssueExpressions());
        using var provider = gateway.ClientFor(Bh);
        var stored = await (await provider.GetAsync($"/fhir/Task/{flow.TaskId}")).JsonAsync();
        Assert.Equal("accepted", stored["status"]!.GetValue<string>());
        Assert.Null(stored["output"]);
    }

    [Fact]
    public async Task Requester_ChangingTheOwnersOutput_Answers422()
    {
        var flow = await NewReferralAsync();
        await OwnerAddsOutputAsync(flow);
        using var psw = gateway.ClientFor(Psw);
        var task = await (await psw.GetAsync($"/fhir/Task/{flow.TaskId}")).JsonAsync();
        task["status"] = "cancelled";
        task["statusReason"] = new JsonObject { ["text"] = "Person moved away" };
        // The source sees the coded output only; it swaps the delivered service for another member code.
        task["output"]![0]!["valueCodeableConcept"]!["coding"]![0]!["code"] = "treatment-started";

        var response = await psw.PutFhirAsync($"/fhir/Task/{flow.TaskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Task.output", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task Requester_WritingBackTheOutputItWasShown_CancelsAndKeepsTheOwnersOutput()
    {
        var flow = await NewReferralAsync();
        await OwnerAddsOutputAsync(flow);
        using var psw = gateway.ClientFor(Psw);
        var task = await (await psw.GetAsync($"/fhir/Task/{flow.TaskId}")).JsonAsync();
        Assert.DoesNotContain("inpatient", task.ToJsonString());
        task["status"] = "cancelled";
        task["statusReason"] = new JsonObject { ["text"] = "Person moved away" };

        var response = await psw.PutFhirAsync($"/fhir/Task/{flow.TaskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var provider = gateway.ClientFor(Bh);
        var stored = await (await provider.GetAsync($"/fhir/Task/{flow.TaskId}")).JsonAsync();
        Assert.Equal("cancelled", stored["status"]!.GetValue<string>());
        Assert.Equal(2, stored["output"]!.AsArray().Count);
        Assert.Contains("interim: inpatient intake", stored.ToJsonString());
    }

    [Fact]
    public async Task Requester_ChangingTheOwnersNote_Answers422NamingTaskNote()
    {
        var flow = await NewReferralAsync();
        await flow.MoveAsync(Bh, "accepted");
        using var psw = gateway.ClientFor(Psw);
        var task = await (await psw.GetAsync($"/fhir/Task/{flow.TaskId}")).JsonAsync();
        task["status"] = "cancelled";
        task["statusReason"] = new JsonObject { ["text"] = "Person moved away" };
        task["note"] = new JsonArray(new JsonObject { ["text"] = "requester note" });

        var response = await psw.PutFhirAsync($"/fhir/Task/{flow.TaskId}", task, "W/\"2\"");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(new[] { "Task.note" }, (await response.JsonAsync()).IssueExpressions());
    }

    private async Task OwnerAddsOutputAsync(ReferralFlow flow)
    {
        Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(Bh, "accepted")).StatusCode);
        using var provider = gateway.ClientFor(Bh);
        var task = await (await provider.GetAsync($"/fhir/Task/{flow.TaskId}")).JsonAsync();
        task["status"] = "in-progress";
        task["output"] = new JsonArray(
            new JsonObject { ["type"] = new JsonObject { ["text"] = "interim" }, ["valueString"] = "interim: inpatient intake" },
            new JsonObject { ["type"] = new JsonObject { ["text"] = "service" }, ["valueCodeableConcept"] = Coded(("intake-appointment-attended", Delivered))["valueCodeableConcept"]!.DeepClone() });
        var response = await provider.PutFhirAsync($"/fhir/Task/{flow.TaskId}", task, "W/\"2\"");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> TrackedAsync(string taskId)
    {
        using var psw = gateway.ClientFor(Psw);
        var tracking = JsonNode.Parse(await (await psw.GetAsync("/referrals/tracking")).Content.ReadAsStringAsync())!.AsArray();
        return tracking.Single(t => t!["taskId"]!.GetValue<string>() == taskId)!;
    }

    private static JsonObject Coded(params (string Code, string System)[] codings) => new()
    {
        ["valueCodeableConcept"] = new JsonObject
        {
            ["coding"] = new JsonArray(codings.Select(c => (JsonNode)new JsonObject { ["system"] = c.System, ["code"] = c.Code }).ToArray()),
        },
    };

    private async Task<ReferralFlow> NewReferralAsync()
    {
        using var psw = gateway.ClientFor(Psw);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        string Of(string type) => response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith(type + "/")).Split('/')[1];
        return new ReferralFlow(gateway, taskId, Of("ServiceRequest"), Of("Patient"));
    }
}
