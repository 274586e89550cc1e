using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Workflow;

/// <summary>The Task state machine, proof of delivery and open-referral claims through the API.</summary>
public abstract class WorkflowSpec(GatewayFixture gateway)
{
    [Theory]
    [InlineData("accepted,in-progress,completed")]
    [InlineData("accepted,completed")]
    [InlineData("accepted,on-hold,in-progress,completed")]
    [InlineData("accepted,in-progress,on-hold,failed")]
    [InlineData("accepted,failed")]
    [InlineData("rejected")]
    [InlineData("accepted,in-progress,cancelled")]
    public async Task Owner_WalksALegalPath_EveryMoveSucceeds(string path)
    {
        var flow = await NewReferralAsync();
        foreach (var status in path.Split(','))
        {
            var response = await flow.MoveAsync(GatewayFixture.BehavioralHealth, status);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{status}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData("", "in-progress")]
    [InlineData("", "completed")]
    [InlineData("accepted", "requested")]
    [InlineData("accepted,on-hold", "completed")]
    [InlineData("rejected", "accepted")]
    [InlineData("accepted,in-progress,completed", "in-progress")]
    [InlineData("accepted,failed", "in-progress")]
    public async Task Owner_IllegalMove_Answers409NamingAllowedMoves(string before, string illegal)
    {
        var flow = await NewReferralAsync();
        foreach (var status in before.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(GatewayFixture.BehavioralHealth, status)).StatusCode);
        }

        var response = await flow.MoveAsync(GatewayFixture.BehavioralHealth, illegal);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("allowed moves", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Requester_CannotAccept_ButCanCancelWithAReason()
    {
        var flow = await NewReferralAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await flow.MoveAsync(GatewayFixture.Psw, "accepted")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(GatewayFixture.Psw, "cancelled")).StatusCode);
    }

    [Theory]
    [InlineData("rejected")]
    [InlineData("cancelled")]
    public async Task MoveNeedingAReason_WithoutOne_Answers422(string status)
    {
        var flow = await NewReferralAsync();
        var response = await flow.MoveAsync(GatewayFixture.BehavioralHealth, status, reason: null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Task.statusReason.text", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task Completion_WithoutOutput_Answers422()
    {
        var flow = await NewReferralAsync();
        await flow.MoveAsync(GatewayFixture.BehavioralHealth, "accepted");
        var response = await flow.MoveAsync(GatewayFixture.BehavioralHealth, "completed", withOutput: false);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Completion_WithAProcedureOfThisReferral_IsDeliveredAndTheSourceSeesIt()
    {
        var flow = await NewReferralAsync();
        await flow.MoveAsync(GatewayFixture.BehavioralHealth, "accepted");
        var procedure = await flow.RecordDeliveryAsync(GatewayFixture.BehavioralHealth, "intake-appointment-attended");

        var response = await flow.MoveAsync(GatewayFixture.BehavioralHealth, "completed", output: Reference(procedure));
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var tracking = await (await psw.GetAsync("/referrals/tracking")).Content.ReadAsStringAsync();
        var procedureSeenBySource = await psw.GetAsync($"/fhir/{procedure}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mine = JsonNode.Parse(tracking)!.AsArray().Single(t => t!["taskId"]!.GetValue<string>() == flow.TaskId)!;
        Assert.True(mine["delivered"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, procedureSeenBySource.StatusCode);
    }

    [Fact]
    public async Task Procedure_ForAReferralTheCallerDoesNotOwn_Answers422()
    {
        var flow = await NewReferralAsync();
        var response = await flow.TryRecordDeliveryAsync(GatewayFixture.Veterans, "service-provided");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Completion_WithAProcedureOfAnotherReferral_Answers422()
    {
        var first = await NewReferralAsync();
        var second = await NewReferralAsync();
        await first.MoveAsync(GatewayFixture.BehavioralHealth, "accepted");
        await second.MoveAsync(GatewayFixture.BehavioralHealth, "accepted");
        var procedure = await second.RecordDeliveryAsync(GatewayFixture.BehavioralHealth, "treatment-started");

        var response = await first.MoveAsync(GatewayFixture.BehavioralHealth, "completed", output: Reference(procedure));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task OpenReferral_TwoConcurrentClaims_OneWinsTheOtherGets409()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: null, categories: ["homelessness"],
            consentRecipients: [GatewayFixture.Housing, GatewayFixture.Veterans]));
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        using var va = gateway.ClientFor(GatewayFixture.Veterans);

        var responses = await Task.WhenAll(housing.PostAsync($"/fhir/Task/{taskId}/$claim", null), va.PostAsync($"/fhir/Task/{taskId}/$claim", null));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        var winner = responses[0].StatusCode == HttpStatusCode.OK ? housing : va;
        var loser = winner == housing ? va : housing;
        Assert.Equal(HttpStatusCode.OK, (await winner.GetAsync($"/fhir/Task/{taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await loser.GetAsync($"/fhir/Task/{taskId}")).StatusCode);
    }

    [Fact]
    public async Task OpenReferral_ClaimAfterAnotherPartnerClaimedIt_Gets409AndStillCannotRead()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: null, categories: ["homelessness"],
            consentRecipients: [GatewayFixture.Housing, GatewayFixture.Veterans]));
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        using var va = gateway.ClientFor(GatewayFixture.Veterans);
        Assert.Equal(HttpStatusCode.OK, (await housing.PostAsync($"/fhir/Task/{taskId}/$claim", null)).StatusCode);

        var late = await va.PostAsync($"/fhir/Task/{taskId}/$claim", null);

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await va.GetAsync($"/fhir/Task/{taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await housing.PostAsync($"/fhir/Task/{taskId}/$claim", null)).StatusCode);
    }

    [Fact]
    public async Task OpenReferral_LateClaimOnceTheConsentIsRevoked_IsNotFound()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: null, categories: ["homelessness"],
            consentRecipients: [GatewayFixture.Housing, GatewayFixture.Veterans]));
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        using var va = gateway.ClientFor(GatewayFixture.Veterans);
        Assert.Equal(HttpStatusCode.OK, (await housing.PostAsync($"/fhir/Task/{taskId}/$claim", null)).StatusCode);
        var consent = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).First(l => l.StartsWith("Consent/")).Split('/')[1];
        Assert.Equal(HttpStatusCode.OK, (await psw.PostAsync($"/fhir/Consent/{consent}/$revoke", null)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await va.PostAsync($"/fhir/Task/{taskId}/$claim", null)).StatusCode);
    }

    [Fact]
    public async Task OpenReferral_ClaimByAPartnerOfTheWrongKind_IsNotFound()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: null, categories: ["homelessness"], consentRecipients: [GatewayFixture.Housing]));
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        Assert.Equal(HttpStatusCode.NotFound, (await provider.PostAsync($"/fhir/Task/{taskId}/$claim", null)).StatusCode);
    }

    private static JsonObject Reference(string reference) => new() { ["valueReference"] = new JsonObject { ["reference"] = reference } };

    private async Task<ReferralFlow> NewReferralAsync()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = ReferralSamples.Native();
        var (taskId, response) = await psw.SubmitReferralAsync(referral);
        string Of(string type) => response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith(type + "/")).Split('/')[1];
        return new ReferralFlow(gateway, taskId, Of("ServiceRequest"), Of("Patient"));
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class WorkflowTests(GatewayFixture gateway) : WorkflowSpec(gateway), IClassFixture<GatewayFixture>;

/// <summary>The tests above on a real PostgreSQL server, the gateway running as the runtime role.</summary>
public sealed class WorkflowTestsOnPostgreSql(PostgreSqlGatewayFixture gateway) : WorkflowSpec(gateway), IClassFixture<PostgreSqlGatewayFixture>;
