using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>No partner sees another partner's referrals, and cannot tell they exist.</summary>
public sealed class PartnerIsolationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Read_AnotherPartnersTask_Answers404ExactlyLikeAMissingOne()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.BehavioralHealth));

        var theirs = await housing.GetAsync($"/fhir/Task/{taskId}");
        var missing = await housing.GetAsync($"/fhir/Task/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var theirsIssue = (await theirs.JsonAsync())["issue"]![0]!;
        var missingIssue = (await missing.JsonAsync())["issue"]![0]!;
        Assert.Equal(missingIssue["code"]!.GetValue<string>(), theirsIssue["code"]!.GetValue<string>());
        Assert.Equal(missingIssue["expression"]!.ToJsonString(), theirsIssue["expression"]!.ToJsonString());
    }

    [Fact]
    public async Task Read_AnotherPartnersPatientHistoryAndVersion_Answer404()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var veterans = gateway.ClientFor(GatewayFixture.Veterans);
        var (_, response) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.BehavioralHealth));
        var patient = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith("Patient/"));
        var patientPath = string.Join('/', patient.Split('/').Take(2));

        Assert.Equal(HttpStatusCode.NotFound, (await veterans.GetAsync($"/fhir/{patientPath}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await veterans.GetAsync($"/fhir/{patientPath}/_history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await veterans.GetAsync($"/fhir/{patientPath}/_history/1")).StatusCode);
    }

    [Fact]
    public async Task Search_ByAnotherPartner_DoesNotFindTheTaskNorCountIt()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.BehavioralHealth));
        var patientId = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith("Patient/")).Split('/')[1];

        var byOwner = await (await housing.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}")).JsonAsync();
        var byPatient = await (await housing.GetAsync($"/fhir/Task?patient=Patient/{patientId}")).JsonAsync();

        Assert.Equal(0, byOwner["total"]!.GetValue<int>());
        Assert.Equal(0, byPatient["total"]!.GetValue<int>());
        Assert.DoesNotContain(taskId, byOwner.ToJsonString());
    }

    [Fact]
    public async Task Update_AnotherPartnersTask_Answers404()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.BehavioralHealth));
        var task = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        task["status"] = "accepted";

        var response = await housing.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
