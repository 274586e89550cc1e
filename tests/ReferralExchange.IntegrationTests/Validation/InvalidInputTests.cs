using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Validation;

/// <summary>
/// Issue 14, first bullet: crafted inputs the hand-written checker accepted and Firely's validator
/// refuses. Each is refused with 422 and the element's path, on the real gateway, and nothing of
/// it is stored.
/// </summary>
public sealed class InvalidInputTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Xhtml = "http://www.w3.org/1999/xhtml";

    [Fact]
    public async Task Transaction_ScriptInPatientNarrative_IsRefusedAndNeverServed()
    {
        var identifier = "TX-" + Guid.NewGuid().ToString("N")[..10];
        var bundle = TransactionSamples.Referral(identifier, ifNoneExist: false);
        Patient(bundle)["text"] = Narrative("<p>Alex</p><script>alert(1)</script>");
        var before = Database.Count(gateway, "ResourceVersions");

        await AssertRefusedAsync(await PostTransactionAsync(bundle), "Patient.text.div");

        Assert.Equal(before, Database.Count(gateway, "ResourceVersions"));
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var inbox = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&_count=100")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", inbox, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Transaction_EventAttributeInNarrative_IsRefused() =>
        await AssertPatientRefusedAsync(p => p["text"] = Narrative("<p onclick=\"steal()\">Alex</p>"), "Patient.text.div");

    [Fact]
    public async Task Transaction_NarrativeImageFromElsewhere_IsRefused() =>
        await AssertPatientRefusedAsync(p => p["text"] = Narrative("<img src=\"https://tracker.example/pixel.png\" alt=\"x\"/>"), "Patient.text.div");

    [Fact]
    public async Task Transaction_ScriptLinkInNarrative_IsRefused() =>
        await AssertPatientRefusedAsync(p => p["text"] = Narrative("<a href=\"javascript:alert(1)\">Alex</a>"), "Patient.text.div");

    [Fact]
    public async Task Transaction_UnknownModifierExtension_IsRefused() =>
        await AssertPatientRefusedAsync(p => p["modifierExtension"] = JsonNode.Parse("""[{"url":"https://unknown.example/fhir/not-deceased","valueBoolean":true}]"""),
            "Patient.modifierExtension[0]");

    [Fact]
    public async Task Transaction_ReversedConsentProvisionPeriod_IsRefusedPer1()
    {
        var bundle = TransactionSamples.Referral("TX-" + Guid.NewGuid().ToString("N")[..10], ifNoneExist: false);
        Resource(bundle, "Consent")["provision"]!["period"] = new JsonObject { ["start"] = "2027-05-20", ["end"] = "2026-11-20" };

        var outcome = await AssertRefusedAsync(await PostTransactionAsync(bundle), "Consent.provision.period");

        Assert.Contains("per-1", outcome.ToJsonString());
    }

    [Fact]
    public async Task Transaction_ExtensionWithValueAndExtensions_IsRefusedExt1() =>
        await AssertPatientRefusedAsync(p => p["extension"] = JsonNode.Parse("""[{"url":"https://x.example/e","valueBoolean":true,"extension":[{"url":"a","valueString":"b"}]}]"""),
            "Patient.extension[0]", "ext-1");

    [Fact]
    public async Task Transaction_AttachmentDataWithoutContentType_IsRefusedAtt1() =>
        await AssertPatientRefusedAsync(p => p["photo"] = JsonNode.Parse("""[{"data":"aGVsbG8="}]"""), "Patient.photo[0]", "att-1");

    [Fact]
    public async Task Transaction_ContactWithoutDetails_IsRefusedPat1() =>
        await AssertPatientRefusedAsync(p => p["contact"] = JsonNode.Parse("""[{"gender":"male"}]"""), "Patient.contact[0]", "pat-1");

    [Fact]
    public async Task Transaction_UnreferencedContainedResource_IsRefusedDom3() =>
        await AssertPatientRefusedAsync(p => p["contained"] = JsonNode.Parse("""[{"resourceType":"Organization","id":"o1","name":"Unreferenced"}]"""), "Patient", "dom-3");

    [Fact]
    public async Task Transaction_ContactPointValueWithoutSystem_IsRefusedCpt2() =>
        await AssertPatientRefusedAsync(p => p["telecom"] = JsonNode.Parse("""[{"value":"555-0100"}]"""), "Patient.telecom[0]", "cpt-2");

    [Fact]
    public async Task Transaction_IdentifierSystemThatIsNotAUri_IsRefused() =>
        await AssertPatientRefusedAsync(p => p["identifier"] = JsonNode.Parse("""[{"system":"our person ids","value":"P-1"}]"""), "Patient.identifier[0].system");

    [Fact]
    public async Task Transaction_FutureBirthDate_IsRefusedAsOnReferrals() =>
        await AssertPatientRefusedAsync(p => p["birthDate"] = "2999-01-01", "Patient.birthDate", "rx-pat-2");

    [Fact]
    public async Task Native_SignedOnAsADate_IsRefusedAsNotAnInstant()
    {
        var referral = ReferralSamples.Native();
        referral["consent"]!["signedOn"] = "2026-11-20";
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        await AssertRefusedAsync(await psw.PostNativeAsync(referral), "consent.signedOn");
    }

    [Fact]
    public async Task Native_BlankAddressLines_AreNotEmittedAsEmptyStrings()
    {
        var referral = ReferralSamples.Native();
        referral["person"]!["address"] = JsonNode.Parse("""{"lines":["", "12 Larch Road"],"city":"Springfield"}""");
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        var (_, response) = await psw.SubmitReferralAsync(referral);

        var patientLocation = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith("Patient/"));
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var patient = await (await provider.GetAsync($"/fhir/{string.Join('/', patientLocation.Split('/').Take(2))}")).JsonAsync();
        Assert.Equal(["12 Larch Road"], patient["address"]![0]!["line"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task TaskPut_ReversedExecutionPeriod_IsRefusedPer1()
    {
        var flow = await NewReferralAsync();
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var task = await (await provider.GetAsync($"/fhir/Task/{flow.TaskId}")).JsonAsync();
        task["status"] = "accepted";
        task["executionPeriod"] = new JsonObject { ["start"] = "2026-12-02T10:00:00Z", ["end"] = "2026-12-01T10:00:00Z" };

        var response = await provider.PutFhirAsync($"/fhir/Task/{flow.TaskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");

        await AssertRefusedAsync(response, "Task.executionPeriod");
    }

    [Fact]
    public async Task Procedure_ReversedPerformedPeriod_IsRefusedPer1()
    {
        var flow = await NewReferralAsync();
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var procedure = new JsonObject
        {
            ["resourceType"] = "Procedure",
            ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = $"ServiceRequest/{flow.ServiceRequestId}" }),
            ["status"] = "completed",
            ["code"] = JsonNode.Parse("""{"coding":[{"system":"https://referral-exchange.example/fhir/CodeSystem/delivered-service","code":"intake-appointment-attended"}]}"""),
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{flow.PatientId}" },
            ["performedPeriod"] = new JsonObject { ["start"] = "2026-12-02T10:00:00Z", ["end"] = "2026-12-01T10:00:00Z" },
        };

        var outcome = await AssertRefusedAsync(await provider.PostFhirAsync("/fhir/Procedure", procedure.ToJsonString()), "Procedure.performed");

        Assert.Contains("per-1", outcome.ToJsonString());
    }

    [Fact]
    public async Task Subscription_UnknownModifierExtension_IsRefused()
    {
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var subscription = new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["modifierExtension"] = JsonNode.Parse("""[{"url":"https://unknown.example/fhir/deliver-everything","valueBoolean":true}]"""),
            ["status"] = "requested",
            ["reason"] = "My inbox",
            ["criteria"] = $"Task?owner=Organization/{GatewayFixture.BehavioralHealth}",
            ["channel"] = new JsonObject { ["type"] = "rest-hook", ["endpoint"] = "https://bh-riverside.example/hook", ["payload"] = "application/fhir+json" },
        };

        await AssertRefusedAsync(await provider.PostFhirAsync("/fhir/Subscription", subscription.ToJsonString()), "Subscription.modifierExtension[0]");
    }

    private async Task AssertPatientRefusedAsync(Action<JsonObject> breakPatient, string path, string? constraint = null)
    {
        var bundle = TransactionSamples.Referral("TX-" + Guid.NewGuid().ToString("N")[..10], ifNoneExist: false);
        breakPatient(Patient(bundle));
        var before = Database.Count(gateway, "ResourceVersions");

        var outcome = await AssertRefusedAsync(await PostTransactionAsync(bundle), path);

        if (constraint is not null)
        {
            Assert.Contains(constraint, outcome.ToJsonString());
        }
        Assert.Equal(before, Database.Count(gateway, "ResourceVersions"));
    }

    private static async Task<JsonObject> AssertRefusedAsync(HttpResponseMessage response, string path)
    {
        var outcome = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {outcome.ToJsonString()}");
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Contains(path, outcome.IssueExpressions());
        return outcome;
    }

    private async Task<HttpResponseMessage> PostTransactionAsync(JsonObject bundle)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        return await psw.PostFhirAsync("/fhir", bundle.ToJsonString());
    }

    private async Task<ReferralFlow> NewReferralAsync()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        string Id(string type) => response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>())
            .Single(l => l.StartsWith(type + "/", StringComparison.Ordinal)).Split('/')[1];
        return new ReferralFlow(gateway, taskId, Id("ServiceRequest"), Id("Patient"));
    }

    private static JsonObject Patient(JsonObject bundle) => Resource(bundle, "Patient");

    private static JsonObject Resource(JsonObject bundle, string type) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).Single(r => r["resourceType"]!.GetValue<string>() == type);

    private static JsonObject Narrative(string inner) =>
        new() { ["status"] = "generated", ["div"] = $"<div xmlns=\"{Xhtml}\">{inner}</div>" };
}
