using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;
using static ReferralExchange.IntegrationTests.Infrastructure.ConsentReferrals;

namespace ReferralExchange.IntegrationTests.Consent;

/// <summary>
/// Minimum necessary back to police (docs/domain.md; HIPAA 45 CFR §164.502(b)), end to end: the
/// receiving partner writes clinical free text into every element a Task and a Procedure let it
/// write; the police unit's read, vread, history, search with _include and Procedure read carry
/// the status, coded reasons, dates, references and delivered-service coding, and none of the text.
/// </summary>
public sealed class MinimumNecessaryTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Bh = GatewayFixture.BehavioralHealth;
    private const string Psw = GatewayFixture.Psw;
    private const string Base = "https://referral-exchange.example/fhir";

    private static readonly string[] FreeText =
    [
        "admitted to inpatient psych", "dx major depression", "owner note: suicidal ideation", "business step: crisis bed",
        "narrative: psychiatric hold", "description: 5150 hold", "display: Dr. Psych", "extension: lithium",
        "procedure note: ECT", "procedure outcome: stabilised", "coding display: depressive episode",
    ];

    [Fact]
    public async Task Police_AfterTheProviderWritesFreeTextEverywhere_ReadHistorySearchIncludeAndProcedureCarryNoneOfIt()
    {
        using var psw = gateway.ClientFor(Psw);
        using var provider = gateway.ClientFor(Bh);
        var referral = await SubmitOkAsync(psw, [Permit()]);

        await OwnerPutAsync(provider, referral.TaskId, task =>
        {
            task["status"] = "accepted";
            task["businessStatus"] = Concept($"{Base}/CodeSystem/task-business-status", "scheduled", "coding display: depressive episode", "business step: crisis bed");
            task["note"] = new JsonArray(new JsonObject { ["text"] = "owner note: suicidal ideation" });
            task["description"] = "description: 5150 hold";
            task["text"] = new JsonObject { ["status"] = "generated", ["div"] = "<div xmlns=\"http://www.w3.org/1999/xhtml\">narrative: psychiatric hold</div>" };
            task["extension"] = new JsonArray(new JsonObject { ["url"] = "https://bh-riverside.example/ext/medication", ["valueString"] = "extension: lithium" });
        });
        await OwnerPutAsync(provider, referral.TaskId, task =>
        {
            task["status"] = "on-hold";
            task["statusReason"] = Concept($"{Base}/CodeSystem/task-status-reason", "other", "dx major depression", "admitted to inpatient psych");
        });
        await OwnerPutAsync(provider, referral.TaskId, task => task["status"] = "in-progress");
        var procedureId = await RecordProcedureWithFreeTextAsync(provider, referral);
        await OwnerPutAsync(provider, referral.TaskId, task =>
        {
            task["status"] = "completed";
            task["output"] = new JsonArray(
                new JsonObject { ["type"] = new JsonObject { ["text"] = "dx major depression" }, ["valueReference"] = new JsonObject { ["reference"] = $"Procedure/{procedureId}", ["display"] = "display: Dr. Psych" } },
                new JsonObject { ["type"] = new JsonObject { ["text"] = "summary" }, ["valueString"] = "admitted to inpatient psych" });
        });

        var read = await GetAsync(psw, $"/fhir/Task/{referral.TaskId}");
        var vread = await GetAsync(psw, $"/fhir/Task/{referral.TaskId}/_history/3");
        var history = await GetAsync(psw, $"/fhir/Task/{referral.TaskId}/_history");
        var search = await GetAsync(psw, $"/fhir/Task?patient=Patient/{referral.PatientId}&_include=Task:focus");
        var procedure = await GetAsync(psw, $"/fhir/Procedure/{procedureId}");

        foreach (var (name, body) in new[] { ("read", read), ("vread", vread), ("history", history), ("search", search), ("procedure", procedure) })
        {
            Assert.All(FreeText, text => Assert.False(body.ToJsonString().Contains(text, StringComparison.Ordinal), $"{name} disclosed '{text}'"));
        }
        Assert.Equal(5, history["entry"]!.AsArray().Count);
        Assert.Contains(search["entry"]!.AsArray(), e => e!["resource"]!["resourceType"]!.GetValue<string>() == "ServiceRequest");
        Assert.Equal("completed", read["status"]!.GetValue<string>());
        Assert.Equal($"Procedure/{procedureId}", read["output"]![0]!["valueReference"]!["reference"]!.GetValue<string>());
        Assert.Single(read["output"]!.AsArray());
        Assert.Contains(read["meta"]!["security"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "REDACTED");
        Assert.Equal("other", vread["statusReason"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("Other", vread["statusReason"]!["coding"]![0]!["display"]!.GetValue<string>());
        Assert.Equal("intake-appointment-attended", procedure["code"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Contains(procedure["meta"]!["security"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "REDACTED");

        // Shaped on the way out, not lost: the provider still reads what it wrote.
        var own = (await GetAsync(provider, $"/fhir/Task/{referral.TaskId}/_history")).ToJsonString();
        Assert.Contains("admitted to inpatient psych", own);
        Assert.Contains("owner note: suicidal ideation", own);
        Assert.Contains("procedure note: ECT", (await GetAsync(provider, $"/fhir/Procedure/{procedureId}")).ToJsonString());
    }

    [Fact]
    public async Task Police_NamedWithTheOutcomeClass_SeeTheProvidersReasonText()
    {
        using var psw = gateway.ClientFor(Psw);
        using var provider = gateway.ClientFor(Bh);
        var referral = await SubmitOkAsync(psw, [Permit(actors: [Bh, Psw], purposes: ["TREAT", "CAREMGT"], classes: ["referral", "demographics", "mental-health", "outcome"])]);
        await OwnerPutAsync(provider, referral.TaskId, task => task["status"] = "accepted");
        await OwnerPutAsync(provider, referral.TaskId, task =>
        {
            task["status"] = "on-hold";
            task["statusReason"] = new JsonObject { ["text"] = "admitted to inpatient psych" };
        });

        Assert.Equal("admitted to inpatient psych", (await GetAsync(psw, $"/fhir/Task/{referral.TaskId}"))["statusReason"]!["text"]!.GetValue<string>());
    }

    private static async Task OwnerPutAsync(HttpClient provider, string taskId, Action<JsonObject> change)
    {
        var task = await GetAsync(provider, $"/fhir/Task/{taskId}");
        change(task);
        var response = await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> RecordProcedureWithFreeTextAsync(HttpClient provider, Submitted referral)
    {
        var procedure = new JsonObject
        {
            ["resourceType"] = "Procedure",
            ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = $"ServiceRequest/{referral.ServiceRequestId}" }),
            ["status"] = "completed",
            ["code"] = Concept($"{Base}/CodeSystem/delivered-service", "intake-appointment-attended", "coding display: depressive episode", "dx major depression"),
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{referral.PatientId}", ["display"] = "display: Dr. Psych" },
            ["performedDateTime"] = "2026-11-25T10:00:00Z",
            ["performer"] = new JsonArray(new JsonObject { ["actor"] = new JsonObject { ["reference"] = $"Organization/{Bh}", ["display"] = "display: Dr. Psych" } }),
            ["outcome"] = new JsonObject { ["text"] = "procedure outcome: stabilised" },
            ["note"] = new JsonArray(new JsonObject { ["text"] = "procedure note: ECT" }),
        };
        var response = await provider.PostFhirAsync("/fhir/Procedure", procedure.ToJsonString());
        var body = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["id"]!.GetValue<string>();
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return await response.JsonAsync();
    }

    private static JsonObject Concept(string system, string code, string display, string text) => new()
    {
        ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }),
        ["text"] = text,
    };
}
