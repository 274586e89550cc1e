using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;
using static ReferralExchange.IntegrationTests.Infrastructure.ConsentReferrals;

/// <summary>
/// The consent rules, scenario by scenario, through the real HTTP API: a PSW submits a referral
/// with the consents of the scenario; the receiving partner (or another) then reads.
/// </summary>
public abstract class ConsentScenarioSpec(GatewayFixture gateway) : ConsentScenarioBase(gateway)
{
    // ---- permit and deny by default -------------------------------------------------------

    [Fact]
    public async Task Permit_ForRecipientPurposeAndClass_ServiceRequestIsReadable() =>
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "ServiceRequest", await SubmitAsync(Permit())));

    [Fact]
    public async Task Permit_TaskIsReadable() =>
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit())));

    [Fact]
    public async Task Permit_PatientWithContactClass_KeepsTelecom()
    {
        var patient = await ReadJsonAsync(Bh, "Patient", await SubmitAsync(Permit()));
        Assert.NotNull(patient["telecom"]);
    }

    [Fact]
    public async Task Permit_WithoutContactClass_PatientTelecomIsRemovedNotBlanked()
    {
        var patient = await ReadJsonAsync(Bh, "Patient", await SubmitAsync(Permit(classes: ["referral", "demographics", "mental-health"])));
        Assert.Null(patient["telecom"]);
        Assert.NotNull(patient["name"]);
        Assert.Contains(patient["meta"]!["security"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "REDACTED");
    }

    [Fact]
    public async Task Permit_WithoutDemographics_PatientIsNotDisclosed() =>
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Patient", await SubmitAsync(Permit(classes: ["referral", "mental-health"]))));

    [Fact]
    public async Task Consent_Expired_NothingIsDisclosed() =>
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "ServiceRequest", await SubmitAsync(Permit(start: "2025-01-01", end: "2025-12-31"))));

    [Fact]
    public async Task Consent_NotYetValid_NothingIsDisclosed() =>
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit(start: "2027-01-01", end: "2027-12-31"))));

    [Fact]
    public async Task Consent_InactiveFromTheStart_NothingIsDisclosed() =>
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit() with { Status = "inactive" })));

    [Fact]
    public async Task Consent_ForAnotherPurpose_NothingIsDisclosed() =>
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit(purposes: ["HOPERAT"]))));

    [Fact]
    public async Task Request_StatingAPurposeTheConsentLacks_IsRefused() =>
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit()), purpose: "HOPERAT"));

    [Fact]
    public async Task Request_StatingACoveredPurpose_IsServed() =>
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit(purposes: ["TREAT", "ETREAT"])), purpose: "ETREAT"));

    [Fact]
    public async Task Consent_NamingAnotherRecipientOnly_IsRefusedAtIntake()
    {
        var (status, _, body) = await ConsentReferrals.SubmitAsync(Gateway.ClientFor(Psw), [Permit(actors: [Va])]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("Consent.provision.actor", body.IssueExpressions());
    }

    [Fact]
    public async Task Consent_WithoutRecipient_IsRefusedAtIntake()
    {
        var (status, _, body) = await ConsentReferrals.SubmitAsync(Gateway.ClientFor(Psw), [Permit(actors: [])]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.NotEmpty(body.IssueExpressions());
    }

    [Fact]
    public async Task Consent_WithoutPurpose_IsRefusedAtIntake() =>
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await ConsentReferrals.SubmitAsync(Gateway.ClientFor(Psw), [Permit(purposes: [])])).Status);

    [Fact]
    public async Task Consent_NotCoveringTheSensitiveNeed_WithholdsTheWholeReferral()
    {
        var referral = await SubmitAsync(Permit(classes: ["referral", "demographics"]));
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "ServiceRequest", referral));
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", referral));
    }

    // ---- redaction where a referral mixes classes -------------------------------------------

    [Fact]
    public async Task MixedReferral_ToHousingWithoutMentalHealthConsent_RedactsMentalHealthDetail()
    {
        var referral = await SubmitAsync([Permit(actors: [Housing], purposes: ["CAREMGT"], classes: ["referral", "demographics", "housing"])],
            ["housing-instability", "mental-health"], Housing);
        var sr = await ReadJsonAsync(Housing, "ServiceRequest", referral);
        var text = sr.ToJsonString();
        Assert.DoesNotContain("\"mental-health\"", text);
        Assert.Contains("housing-instability", text);
        Assert.Null(sr["note"]);
        Assert.Single(sr["category"]!.AsArray());
    }

    [Fact]
    public async Task MixedReferral_ToHousingWithMentalHealthConsent_KeepsEverything()
    {
        var referral = await SubmitAsync([Permit(actors: [Housing], purposes: ["CAREMGT"], classes: ["referral", "demographics", "housing", "mental-health"])],
            ["housing-instability", "mental-health"], Housing);
        var sr = await ReadJsonAsync(Housing, "ServiceRequest", referral);
        Assert.Equal(2, sr["category"]!.AsArray().Count);
        Assert.NotNull(sr["note"]);
    }

    [Fact]
    public async Task NestedDeny_OfAClass_RedactsThoseElements()
    {
        var consent = Permit(classes: ["referral", "demographics", "mental-health", "substance-use"],
            nested: [new Provision("deny", Classes: ["substance-use"])]);
        var sr = await ReadJsonAsync(Bh, "ServiceRequest", await SubmitAsync([consent], ["mental-health", "substance-use"]));
        Assert.DoesNotContain("\"substance-use\"", sr.ToJsonString());
        Assert.Contains("\"mental-health\"", sr.ToJsonString());
    }

    [Fact]
    public async Task NestedDeny_OfEverythingForTheRecipient_WithholdsIt() =>
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit(nested: [new Provision("deny", Actors: [Bh])]))));

    [Fact]
    public async Task NestedDeny_ForAnotherActor_DoesNotAffectTheRecipient() =>
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit(actors: [Bh, Va], nested: [new Provision("deny", Actors: [Va])]))));

    [Fact]
    public async Task NestedDeny_ForAnotherPurpose_DoesNotAffectTreatment() =>
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "Task", await SubmitAsync(Permit(nested: [new Provision("deny", Purposes: ["HOPERAT"])]))));

    // ---- several consents: the most recent wins ---------------------------------------------

    [Fact]
    public async Task MostRecent_DenyAfterPermit_Withholds()
    {
        var deny = new ConsentSpec(new Provision("deny", [Bh], ["TREAT"], ["referral"]), DateTime: "2026-11-21T10:00:00Z");
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "Task", await SubmitAsync([Permit(), deny])));
    }

    [Fact]
    public async Task MostRecent_PermitAfterDeny_Discloses()
    {
        var deny = new ConsentSpec(new Provision("deny", [Bh], ["TREAT"], ["referral"]), DateTime: "2026-11-19T10:00:00Z");
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "Task", await SubmitAsync([Permit(), deny])));
    }

    [Fact]
    public async Task MostRecent_NarrowerPermit_WithholdsWhatItDropped()
    {
        var newer = Permit(classes: ["referral", "demographics"]) with { DateTime = "2026-11-22T10:00:00Z" };
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "ServiceRequest", await SubmitAsync([Permit(), newer])));
    }

    [Fact]
    public async Task MostRecent_WiderPermit_DisclosesWhatItAdded()
    {
        var older = Permit(classes: ["referral", "demographics"]) with { DateTime = "2026-11-10T10:00:00Z" };
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "ServiceRequest", await SubmitAsync([older, Permit()])));
    }

    // ---- 42 CFR Part 2 ---------------------------------------------------------------------

    [Fact]
    public async Task Part2_ConsentNamingRecipientPurposeClassAndExpiry_DisclosesWithTheRedisclosureNotice()
    {
        var referral = await SubmitAsync([Permit(classes: ["referral", "demographics", "substance-use"])], ["substance-use"]);
        using var client = Gateway.ClientFor(Bh);
        var response = await client.GetAsync($"/fhir/ServiceRequest/{referral.ServiceRequestId}");
        var sr = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("42 CFR part 2", response.Headers.GetValues("X-Part2-Redisclosure-Notice").Single());
        Assert.Contains(sr["meta"]!["security"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "NORDSCLCD");
    }

    [Fact]
    public async Task Part2_ConsentNotCoveringSubstanceUse_Withholds() =>
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Bh, "ServiceRequest", await SubmitAsync([Permit()], ["substance-use"])));

    [Fact]
    public async Task Part2_ConsentCoveringByLabelInsteadOfClass_Discloses() =>
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Bh, "ServiceRequest",
            await SubmitAsync([Permit(classes: ["referral", "demographics"], labels: ["ETH", "SUD"])], ["substance-use"])));

    [Fact]
    public async Task Part2_MixedReferralConsentCoveringMentalHealthOnly_RedactsSubstanceUse()
    {
        var sr = await ReadJsonAsync(Bh, "ServiceRequest", await SubmitAsync([Permit()], ["mental-health", "substance-use"]));
        Assert.DoesNotContain("\"substance-use\"", sr.ToJsonString());
        Assert.DoesNotContain(sr["meta"]!["security"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "NORDSCLCD");
    }

    [Fact]
    public async Task Part2_RecipientCannotPassItOnThroughTheGateway()
    {
        using var provider = Gateway.ClientFor(Bh);
        var response = await provider.PostNativeAsync(ReferralSamples.Native(recipient: Va, categories: ["substance-use"], consentRecipients: [Va]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    // ---- minimum necessary back to police --------------------------------------------------

    [Fact]
    public async Task Police_SeeStatusButNotTheProvidersClinicalNote()
    {
        var referral = await SubmitAsync(Permit());
        await AcceptWithNoteAsync(referral, "Clinical impression: acute anxiety");
        var task = await ReadJsonAsync(Psw, "Task", referral);
        Assert.Equal("accepted", task["status"]!.GetValue<string>());
        Assert.Null(task["note"]);
        Assert.DoesNotContain("anxiety", task.ToJsonString());
    }

    [Fact]
    public async Task Police_NamedInTheConsentWithOutcomeClass_SeeTheProvidersNote()
    {
        var referral = await SubmitAsync(Permit(actors: [Bh, Psw], purposes: ["TREAT", "CAREMGT"], classes: ["referral", "demographics", "mental-health", "outcome"]));
        await AcceptWithNoteAsync(referral, "Clinical impression: acute anxiety");
        Assert.Contains("anxiety", (await ReadJsonAsync(Psw, "Task", referral)).ToJsonString());
    }

    // ---- open referrals, defaults, decision service, audit ------------------------------------


    [Fact]
    public async Task OpenReferral_CandidateNamedInTheConsent_SeesTheTask()
    {
        var referral = await SubmitAsync([Permit(actors: [Housing], purposes: ["CAREMGT"], classes: ["referral", "demographics", "housing"])], ["homelessness"], performer: null);
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Housing, "Task", referral));
        Assert.Equal(HttpStatusCode.NotFound, await ReadStatusAsync(Va, "Task", referral));
    }

    [Fact]
    public async Task DefaultPurpose_OfAHousingAgency_IsCareManagement() =>
        Assert.Equal(HttpStatusCode.OK, await ReadStatusAsync(Housing, "Task",
            await SubmitAsync([Permit(actors: [Housing], purposes: ["CAREMGT"], classes: ["referral", "housing"])], ["housing-instability"], Housing)));

    [Fact]
    public async Task DecisionService_Permit_AnswersConsentPermitCard()
    {
        var referral = await SubmitAsync(Permit());
        var card = await ConsultAsync(Bh, referral.PatientId, Bh, "TREAT", "referral");
        Assert.Equal("CONSENT_PERMIT", card["summary"]!.GetValue<string>());
        Assert.Equal($"Consent/{referral.ConsentIds[0]}", card["extension"]!["basedOn"]!.GetValue<string>());
    }

    [Fact]
    public async Task DecisionService_UncoveredPurpose_AnswersNoConsent()
    {
        var referral = await SubmitAsync(Permit());
        Assert.Equal("NO_CONSENT", (await ConsultAsync(Bh, referral.PatientId, Bh, "HOPERAT", "referral"))["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task DecisionService_UncoveredClass_AnswersConsentDeny()
    {
        var referral = await SubmitAsync(Permit());
        Assert.Equal("CONSENT_DENY", (await ConsultAsync(Bh, referral.PatientId, Bh, "TREAT", "hiv"))["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task DecisionService_PatientOfAnotherPartnersReferral_AnswersNoConsent()
    {
        var referral = await SubmitAsync(Permit());
        Assert.Equal("NO_CONSENT", (await ConsultAsync(Va, referral.PatientId, Va, "TREAT", "referral"))["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task DecisionService_AskingForAnotherActor_IsForbidden()
    {
        var referral = await SubmitAsync(Permit());
        using var client = Gateway.ClientFor(Va);
        var response = await client.PostAsync("/cds-services/patient-consent-consult", JsonContent.Create(ConsultRequest(referral.PatientId, Bh, "TREAT", "referral")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Decisions_AreRecordedAsAuthzConsentAuditEvents()
    {
        var referral = await SubmitAsync(Permit());
        await ReadStatusAsync(Bh, "Task", referral);
        using var provider = Gateway.ClientFor(Bh);
        var events = await (await provider.GetAsync($"/fhir/AuditEvent?patient=Patient/{referral.PatientId}&_count=200")).JsonAsync();
        Assert.Contains(events["entry"]!.AsArray(), e => e!["resource"]!["subtype"]![0]!["code"]!.GetValue<string>() == "authz-consent"
            && e["resource"]!["entity"]!.AsArray().Any(x => x!["what"]?["reference"]?.GetValue<string>() == $"Consent/{referral.ConsentIds[0]}"));
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class ConsentScenarioTests(GatewayFixture gateway) : ConsentScenarioSpec(gateway), IClassFixture<GatewayFixture>;

/// <summary>The tests above on a real PostgreSQL server, the gateway running as the runtime role.</summary>
public sealed class ConsentScenarioTestsOnPostgreSql(PostgreSqlGatewayFixture gateway) : ConsentScenarioSpec(gateway), IClassFixture<PostgreSqlGatewayFixture>;
