using System.Net;
using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// Referrals with hand-made consents, submitted as FHIR transactions by the PSW: the scenarios of
/// the consent rules need consents the native form cannot express (nested exceptions, deny
/// consents, several consents with different dates).
/// </summary>
public static class ConsentReferrals
{
    private const string Base = "https://referral-exchange.example/fhir";

    public sealed record Provision(
        string Type = "permit",
        string[]? Actors = null,
        string[]? Purposes = null,
        string[]? Classes = null,
        string[]? Labels = null,
        string Start = "2026-01-01",
        string End = "2027-12-31",
        Provision[]? Nested = null);

    public sealed record ConsentSpec(Provision Provision, string Status = "active", string DateTime = "2026-11-20T14:00:00Z", string? IrrevocableUntil = null);

    public static ConsentSpec Permit(string[]? actors = null, string[]? classes = null, string[]? purposes = null, Provision[]? nested = null,
        string start = "2026-01-01", string end = "2027-12-31", string[]? labels = null) =>
        new(new Provision("permit", actors ?? [GatewayFixture.BehavioralHealth], purposes ?? ["TREAT"],
            classes ?? ["referral", "demographics", "contact", "mental-health"], labels, start, end, nested));

    public sealed record Submitted(string TaskId, string ServiceRequestId, string PatientId, IReadOnlyList<string> ConsentIds);

    public static async Task<(HttpStatusCode Status, Submitted? Referral, JsonObject Body)> SubmitAsync(HttpClient psw,
        IReadOnlyList<ConsentSpec> consents, string[]? categories = null, string? performer = GatewayFixture.BehavioralHealth, string note = "Narrative about every need")
    {
        var id = "CS-" + Guid.NewGuid().ToString("N")[..12];
        // Transaction-internal ids must be real UUIDs (FHIR R4 §3.1.0.11.2).
        var urn = new Dictionary<string, string>();
        string U(string name) => urn.TryGetValue(name, out var u) ? u : urn[name] = $"urn:uuid:{Guid.NewGuid()}";
        var entries = new JsonArray
        {
            Entry(U("p"), new JsonObject
            {
                ["resourceType"] = "Patient",
                ["name"] = new JsonArray(new JsonObject { ["family"] = "Consentia", ["given"] = new JsonArray("Testa") }),
                ["telecom"] = new JsonArray(new JsonObject { ["system"] = "phone", ["value"] = "+1-555-0111" }),
                ["birthDate"] = "1990-01-01",
            }),
        };
        var consentRefs = new JsonArray();
        for (var i = 0; i < consents.Count; i++)
        {
            entries.Add(Entry(U($"c{i}"), Consent(consents[i], U("p"))));
            consentRefs.Add(new JsonObject { ["reference"] = U($"c{i}") });
        }
        var sr = new JsonObject
        {
            ["resourceType"] = "ServiceRequest",
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = $"{Base}/sid/partner/psw-metro/referral", ["value"] = id }),
            ["status"] = "active",
            ["intent"] = "order",
            ["priority"] = "urgent",
            ["category"] = new JsonArray((categories ?? ["mental-health"]).Select(c => (JsonNode)Concept($"{Base}/CodeSystem/referral-category", c)).ToArray()),
            ["code"] = Concept($"{Base}/CodeSystem/referral-service", "case-management"),
            ["reasonCode"] = new JsonArray((categories ?? ["mental-health"]).Select(c => (JsonNode)new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = $"{Base}/CodeSystem/referral-category", ["code"] = c }),
                ["text"] = $"Need: {c}",
            }).ToArray()),
            ["subject"] = Ref(U("p")),
            ["requester"] = Ref("Organization/psw-metro"),
            ["supportingInfo"] = consentRefs,
            ["note"] = new JsonArray(new JsonObject { ["text"] = note }),
        };
        var task = new JsonObject
        {
            ["resourceType"] = "Task",
            ["status"] = "requested",
            ["intent"] = "order",
            ["code"] = Concept("http://hl7.org/fhir/CodeSystem/task-code", "fulfill"),
            ["focus"] = Ref(U("sr")),
            ["for"] = Ref(U("p")),
            ["requester"] = Ref("Organization/psw-metro"),
        };
        if (performer is not null)
        {
            sr["performer"] = new JsonArray(Ref($"Organization/{performer}"));
            task["owner"] = Ref($"Organization/{performer}");
        }
        entries.Add(Entry(U("sr"), sr));
        entries.Add(Entry(U("t"), task));
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };

        var response = await psw.PostFhirAsync("/fhir", bundle.ToJsonString());
        var body = await response.JsonAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (response.StatusCode, null, body);
        }
        var locations = body["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>().Split('/')).ToList();
        string Of(string type) => locations.First(l => l[0] == type)[1];
        return (response.StatusCode, new Submitted(Of("Task"), Of("ServiceRequest"), Of("Patient"), locations.Where(l => l[0] == "Consent").Select(l => l[1]).ToList()), body);
    }

    public static async Task<Submitted> SubmitOkAsync(HttpClient psw, IReadOnlyList<ConsentSpec> consents, string[]? categories = null, string? performer = GatewayFixture.BehavioralHealth)
    {
        var (status, referral, body) = await SubmitAsync(psw, consents, categories, performer);
        return status == HttpStatusCode.Created ? referral! : throw new InvalidOperationException($"submission answered {(int)status}: {body.ToJsonString()}");
    }

    private static JsonObject Consent(ConsentSpec spec, string patientUrn)
    {
        var consent = new JsonObject
        {
            ["resourceType"] = "Consent",
            ["status"] = spec.Status,
            ["scope"] = Concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
            ["category"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IDSCL")),
            ["patient"] = Ref(patientUrn),
            ["dateTime"] = spec.DateTime,
            ["organization"] = new JsonArray(Ref("Organization/psw-metro")),
            ["sourceAttachment"] = new JsonObject { ["url"] = "https://psw-metro.example/forms/X", ["title"] = "Signed form" },
            ["policyRule"] = Concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"),
            ["provision"] = ProvisionJson(spec.Provision, root: true),
        };
        if (spec.IrrevocableUntil is { } until)
        {
            consent["extension"] = new JsonArray(new JsonObject { ["url"] = $"{Base}/StructureDefinition/irrevocable-until", ["valueDateTime"] = until });
        }
        return consent;
    }

    private static JsonObject ProvisionJson(Provision p, bool root)
    {
        var node = new JsonObject { ["type"] = p.Type };
        if (root || p.Start != "2026-01-01" || p.End != "2027-12-31")
        {
            node["period"] = new JsonObject { ["start"] = p.Start, ["end"] = p.End };
        }
        if (p.Actors is { Length: > 0 })
        {
            node["actor"] = new JsonArray(p.Actors.Select(a => (JsonNode)new JsonObject
            {
                ["role"] = Concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                ["reference"] = Ref($"Organization/{a}"),
            }).ToArray());
        }
        if (p.Purposes is { Length: > 0 })
            node["purpose"] = new JsonArray(p.Purposes.Select(c => (JsonNode)new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActReason", ["code"] = c }).ToArray());
        if (p.Labels is { Length: > 0 })
            node["securityLabel"] = new JsonArray(p.Labels.Select(c => (JsonNode)new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActCode", ["code"] = c }).ToArray());
        if (p.Classes is { Length: > 0 })
            node["class"] = new JsonArray(p.Classes.Select(c => (JsonNode)new JsonObject { ["system"] = $"{Base}/CodeSystem/data-class", ["code"] = c }).ToArray());
        if (p.Nested is { Length: > 0 })
            node["provision"] = new JsonArray(p.Nested.Select(n => (JsonNode)ProvisionJson(n, root: false)).ToArray());
        return node;
    }

    private static JsonObject Entry(string fullUrl, JsonObject resource) => new()
    {
        ["fullUrl"] = fullUrl,
        ["resource"] = resource,
        ["request"] = new JsonObject { ["method"] = "POST", ["url"] = resource["resourceType"]!.GetValue<string>() },
    };

    private static JsonObject Ref(string reference) => new() { ["reference"] = reference };

    private static JsonObject Concept(string system, string code) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) };
}
