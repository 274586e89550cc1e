using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Regression;

/// <summary>Attacks and inputs found in the code review, each pinned by a test.</summary>
public sealed class ReviewFindingsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task RequesterCancel_AfterMinimumNecessaryRead_KeepsTheOwnersNotes()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var task = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        task["status"] = "accepted";
        task["note"] = new JsonArray(new JsonObject { ["text"] = "Owner working note" });
        Assert.Equal(HttpStatusCode.OK, (await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"")).StatusCode);

        var seenBySource = await (await psw.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        seenBySource["status"] = "cancelled";
        seenBySource["statusReason"] = new JsonObject { ["text"] = "Person moved away" };
        Assert.Equal(HttpStatusCode.OK, (await psw.PutFhirAsync($"/fhir/Task/{taskId}", seenBySource, "W/\"2\"")).StatusCode);

        var afterwards = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        Assert.Equal("cancelled", afterwards["status"]!.GetValue<string>());
        Assert.Contains("Owner working note", afterwards.ToJsonString());
    }

    [Theory]
    [InlineData("/fhir/Task?_lastUpdated=gt9999-12-31")]
    [InlineData("/fhir/Task?_lastUpdated=le9999")]
    [InlineData("/fhir/Task?_lastUpdated=9999-12-31T23:59:59Z")]
    public async Task Search_WithADateAtTheEndOfTime_Answers400(string url)
    {
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        Assert.Equal(HttpStatusCode.BadRequest, (await provider.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("""{"hook":"patient-consent-consult","hook":"x","context":{}}""")]
    [InlineData("""{"hook":"patient-consent-consult","context":{"patientId":[{"value":12}],"actor":[{"value":"bh-riverside"}]}}""")]
    [InlineData("""{"hook":7}""")]
    public async Task ConsentConsult_WithMalformedRequest_Answers400(string body)
    {
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var response = await provider.PostAsync("/cds-services/patient-consent-consult", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task OwnAuditEvents_DoNotRevealWhyOrAboutWhomConsentRefused()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = await ConsentReferrals.SubmitOkAsync(psw, [ConsentReferrals.Permit(classes: ["referral", "demographics"])], ["substance-use"]);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/fhir/ServiceRequest/{referral.ServiceRequestId}")).StatusCode);

        var events = (await (await provider.GetAsync("/fhir/AuditEvent?_count=200")).JsonAsync()).ToJsonString();

        Assert.DoesNotContain(referral.PatientId, events);
        Assert.DoesNotContain("SUD", events);
        Assert.DoesNotContain("CONSENT_DENY", events);
    }

    [Fact]
    public async Task Claim_ByACandidateTheConsentNoLongerPermits_IsNotFound()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = ReferralSamples.Native(recipient: null, categories: ["homelessness"], consentRecipients: [GatewayFixture.Housing]);
        referral["consent"]!["purposes"] = new JsonArray("HOPERAT");
        var (taskId, _) = await psw.SubmitReferralAsync(referral);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);

        Assert.Equal(HttpStatusCode.NotFound, (await housing.PostAsync($"/fhir/Task/{taskId}/$claim", null)).StatusCode);
    }
}
