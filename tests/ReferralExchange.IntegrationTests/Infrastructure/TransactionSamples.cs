using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>A referral as a FHIR transaction Bundle, the way a FHIR-capable case system would send it.</summary>
public static class TransactionSamples
{
    private const string Base = "https://referral-exchange.example/fhir";

    public static JsonObject Referral(string identifier, bool ifNoneExist)
    {
        var system = $"{Base}/sid/partner/psw-metro/referral";
        var srRequest = new JsonObject { ["method"] = "POST", ["url"] = "ServiceRequest" };
        if (ifNoneExist)
        {
            srRequest["ifNoneExist"] = $"identifier={system}|{identifier}";
        }
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(
                Entry("urn:uuid:11111111-1111-4111-8111-111111111111", new JsonObject
                {
                    ["resourceType"] = "Patient",
                    ["name"] = new JsonArray(new JsonObject { ["family"] = ReferralSamples.FamilyName, ["given"] = new JsonArray(ReferralSamples.GivenName) }),
                    ["birthDate"] = ReferralSamples.BirthDate,
                }, "Patient"),
                Entry("urn:uuid:22222222-2222-4222-8222-222222222222", new JsonObject
                {
                    ["resourceType"] = "Consent",
                    ["status"] = "active",
                    ["scope"] = Concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
                    ["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IDSCL")),
                    ["patient"] = Ref("urn:uuid:11111111-1111-4111-8111-111111111111"),
                    ["dateTime"] = "2026-11-20T14:00:00Z",
                    ["organization"] = new JsonArray(Ref("Organization/psw-metro")),
                    ["sourceAttachment"] = new JsonObject { ["url"] = "https://psw-metro.example/forms/RF-78", ["title"] = "Signed form" },
                    ["policyRule"] = Concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"),
                    ["provision"] = new JsonObject
                    {
                        ["type"] = "permit",
                        ["period"] = new JsonObject { ["start"] = "2026-11-20", ["end"] = "2027-05-20" },
                        ["actor"] = new JsonArray(new JsonObject
                        {
                            ["role"] = Concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                            ["reference"] = Ref("Organization/bh-riverside"),
                        }),
                        ["purpose"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActReason", ["code"] = "TREAT" }),
                        ["class"] = new JsonArray(
                            new JsonObject { ["system"] = $"{Base}/CodeSystem/data-class", ["code"] = "referral" },
                            new JsonObject { ["system"] = $"{Base}/CodeSystem/data-class", ["code"] = "demographics" },
                            new JsonObject { ["system"] = $"{Base}/CodeSystem/data-class", ["code"] = "mental-health" }),
                    },
                }, "Consent"),
                Entry("urn:uuid:33333333-3333-4333-8333-333333333333", new JsonObject
                {
                    ["resourceType"] = "ServiceRequest",
                    ["identifier"] = new JsonArray(new JsonObject { ["system"] = system, ["value"] = identifier }),
                    ["status"] = "active",
                    ["intent"] = "order",
                    ["priority"] = "routine",
                    ["category"] = new JsonArray(Concept($"{Base}/CodeSystem/referral-category", "mental-health")),
                    ["code"] = Concept($"{Base}/CodeSystem/referral-service", "mental-health-care"),
                    ["subject"] = Ref("urn:uuid:11111111-1111-4111-8111-111111111111"),
                    ["requester"] = Ref("Organization/psw-metro"),
                    ["performer"] = new JsonArray(Ref("Organization/bh-riverside")),
                    ["supportingInfo"] = new JsonArray(Ref("urn:uuid:22222222-2222-4222-8222-222222222222")),
                }, "ServiceRequest", srRequest),
                Entry("urn:uuid:44444444-4444-4444-8444-444444444444", new JsonObject
                {
                    ["resourceType"] = "Task",
                    ["status"] = "requested",
                    ["intent"] = "order",
                    ["code"] = Concept("http://hl7.org/fhir/CodeSystem/task-code", "fulfill"),
                    ["focus"] = Ref("urn:uuid:33333333-3333-4333-8333-333333333333"),
                    ["for"] = Ref("urn:uuid:11111111-1111-4111-8111-111111111111"),
                    ["requester"] = Ref("Organization/psw-metro"),
                    ["owner"] = Ref("Organization/bh-riverside"),
                }, "Task")),
        };
    }

    private static JsonObject Entry(string fullUrl, JsonObject resource, string type, JsonObject? request = null) => new()
    {
        ["fullUrl"] = fullUrl,
        ["resource"] = resource,
        ["request"] = request ?? new JsonObject { ["method"] = "POST", ["url"] = type },
    };

    private static JsonObject Ref(string reference) => new() { ["reference"] = reference };

    private static JsonObject Concept(string system, string code) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) };
}
