using ReferralExchange.IntegrationTests.Infrastructure;
using static ReferralExchange.IntegrationTests.Infrastructure.ConsentReferrals;

namespace ReferralExchange.IntegrationTests.Search;

/// <summary>
/// _include, _revinclude and the searches on other types go through the same gates as a read: an
/// included resource the caller may not see is left out, with no hint that it exists (ADR 0002,
/// ADR 0004): neither past the access policy (a claim candidate sees the Task and ServiceRequest of
/// an open referral, not the person) nor past consent (a class the consent does not cover).
/// </summary>
public sealed class IncludeConsentTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Bh = GatewayFixture.BehavioralHealth;
    private const string Housing = GatewayFixture.Housing;

    [Fact]
    public async Task ClaimCandidate_IncludingPatientAndProcedures_GetsTheServiceRequestOnly()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var housing = gateway.ClientFor(Housing);
        var open = ReferralSamples.Native(recipient: null, categories: ["homelessness"], consentRecipients: [Housing]);
        var (taskId, response) = await psw.SubmitReferralAsync(open);
        string Of(string type) => response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>())
            .Single(l => l.StartsWith(type + "/", StringComparison.Ordinal)).Split('/')[1];

        var bundle = await (await housing.GetAsync(
            $"/fhir/Task?_id={taskId}&_include=Task:focus&_include=Task:patient&_revinclude=Procedure:based-on")).JsonAsync();
        var patients = await (await housing.GetAsync($"/fhir/Patient?_id={Of("Patient")}")).JsonAsync();
        var consents = await (await housing.GetAsync("/fhir/Consent?_count=100")).JsonAsync();
        var requests = await (await housing.GetAsync($"/fhir/ServiceRequest?_id={Of("ServiceRequest")}")).JsonAsync();

        Assert.Equal([taskId], bundle.MatchIds());
        Assert.Equal([$"ServiceRequest/{Of("ServiceRequest")}"], bundle.References("include"));
        Assert.Empty(patients.MatchIds());
        Assert.DoesNotContain(Of("Consent"), consents.ToJsonString());
        Assert.Equal([Of("ServiceRequest")], requests.MatchIds());
        Assert.DoesNotContain(ReferralSamples.FamilyName, bundle.ToJsonString());
    }

    [Fact]
    public async Task Recipient_WhoseConsentLeavesOutDemographics_GetsTheTaskButNotThePatient()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(Bh);
        var referral = await SubmitOkAsync(psw, [Permit(classes: ["referral", "mental-health"])]);

        var bundle = await (await provider.GetAsync($"/fhir/Task?_id={referral.TaskId}&_include=Task:patient&_include=Task:focus")).JsonAsync();
        var patients = await (await provider.GetAsync($"/fhir/Patient?_id={referral.PatientId}")).JsonAsync();
        var read = await provider.GetAsync($"/fhir/Patient/{referral.PatientId}");

        Assert.Equal([referral.TaskId], bundle.MatchIds());
        Assert.Equal([$"ServiceRequest/{referral.ServiceRequestId}"], bundle.References("include"));
        Assert.Empty(patients.MatchIds());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, read.StatusCode);
        Assert.DoesNotContain(ReferralSamples.FamilyName, bundle.ToJsonString() + patients.ToJsonString());
    }

    [Fact]
    public async Task OtherPartner_RevIncludingAnothersProcedures_GetsNothing()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = await SubmitOkAsync(psw, [Permit()]);
        var flow = new ReferralFlow(gateway, referral.TaskId, referral.ServiceRequestId, referral.PatientId);
        await flow.MoveAsync(Bh, "accepted");
        var procedure = await flow.RecordDeliveryAsync(Bh, "intake-appointment-attended");
        using var va = gateway.ClientFor(GatewayFixture.Veterans);

        var tasks = await (await va.GetAsync($"/fhir/Task?_id={referral.TaskId}&_revinclude=Procedure:based-on&_include=Task:patient")).JsonAsync();
        var requests = await (await va.GetAsync($"/fhir/ServiceRequest?_id={referral.ServiceRequestId}&_revinclude=Procedure:based-on")).JsonAsync();
        var procedures = await (await va.GetAsync($"/fhir/Procedure?_id={procedure.Split('/')[1]}")).JsonAsync();
        var history = await (await va.GetAsync("/fhir/Procedure/_history")).JsonAsync();

        Assert.Null(tasks["entry"]);
        Assert.Null(requests["entry"]);
        Assert.Null(procedures["entry"]);
        Assert.DoesNotContain(procedure.Split('/')[1], history.ToJsonString());
    }
}
