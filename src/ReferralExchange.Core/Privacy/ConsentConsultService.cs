using System.Text.Json.Nodes;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// The decision engine as a CDS Hooks service in the shape of the LEAP Consent Decision Service
/// (<c>patient-consent-consult</c>): a partner asks whether it may receive a patient's data for a
/// purpose; the answer is one card, CONSENT_PERMIT, CONSENT_DENY or NO_CONSENT, with REDACT
/// obligations. A partner may only ask about itself, and about patients of referrals it takes part
/// in; anything else is NO_CONSENT, so the service reveals nothing the partner could not read.
/// </summary>
public sealed class ConsentConsultService(IResourceStore store, IConsentRepository consents, ConsentGate gate, IAuditTrail audit, TimeProvider time)
{
    public const string HookId = "patient-consent-consult";

    public async Task<JsonObject> ConsultAsync(Caller caller, JsonObject request, CancellationToken ct)
    {
        if (request["hook"]?.GetValue<string>() != HookId)
            throw GatewayException.BadRequest($"hook must be {HookId}", "hook");
        var context = request["context"] as JsonObject ?? throw GatewayException.BadRequest("context is required", "context");
        var patientId = Values(context["patientId"], "value").FirstOrDefault() ?? throw GatewayException.BadRequest("context.patientId is required", "context.patientId");
        var actors = Values(context["actor"], "value").ToList();
        if (actors.Count != 1 || actors[0] != caller.Partner.Id)
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", "A partner may only ask about itself as the actor", "context.actor");
        var purpose = PurposeAsked(caller, context["purposeOfUse"]) ?? gate.PurposeOf(caller);
        var classes = Values(context["class"], "code").DefaultIfEmpty("referral").ToList();
        var labels = Values(context["securityLabel"], "code").ToList();

        var decision = ConsentDecision.NoConsent("no consent on record for this patient and actor");
        ReferralAccess? access = null;
        if (await store.ReadAsync("Patient", patientId, ct) is { ReferralKey: { } key }
            && await store.GetAccessAsync(key, ct) is { } found
            && AccessPolicy.CanSee(caller.Partner, "Task", found))
        {
            access = found;
            var policies = (await consents.PoliciesAsync([key], ct)).GetValueOrDefault(key) ?? [];
            decision = ConsentDecisionEngine.Decide(policies, new DataRequest(patientId, caller.Partner.Id, purpose, classes, labels, time.GetUtcNow()));
        }

        await audit.RecordAsync(AuditRecord.For(caller, AuditActions.ConsentDecision, decision.Permits ? AuditOutcome.Success : AuditOutcome.MinorFailure, time.GetUtcNow()) with
        {
            PatientId = access?.PatientId,
            PurposeOfUse = purpose,
            ConsentReference = decision.ConsentReference,
            Detail = $"{Code(decision)} via {HookId}: {decision.Reason}",
        }, ct);
        return Card(decision);
    }

    /// <summary>
    /// The purpose the partner asks about, which must be one its access token carries: the decision
    /// service must not answer for purposes the partner could not read the data for (issue 10).
    /// </summary>
    private static string? PurposeAsked(Caller caller, JsonNode? purposes)
    {
        if (purposes is null)
        {
            return null;
        }
        var asked = (purposes as JsonArray ?? throw GatewayException.BadRequest("context.purposeOfUse must be an array of codes", "context.purposeOfUse"))
            .Select(p => p is JsonValue value && value.TryGetValue<string>(out var code) ? Authorization.PurposeOfUseRules.Default.Normalize(code) : null).ToList();
        if (asked.Any(p => p is null || (caller.TokenPurposes is { } granted && !granted.Contains(p))))
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", "The access token does not carry this purpose of use", "context.purposeOfUse");
        // The decision is made for one purpose: the first asked, as before.
        return asked.FirstOrDefault();
    }

    public static JsonObject Discovery() => new()
    {
        ["services"] = new JsonArray(new JsonObject
        {
            ["hook"] = HookId,
            ["id"] = HookId,
            ["title"] = "Referral Exchange consent decision service",
            ["description"] = "Decides whether the calling partner may receive a patient's data for a purpose, from the consents on record (LEAP CDS style).",
        }),
    };

    private static string Code(ConsentDecision decision) => decision.Outcome switch
    {
        ConsentOutcome.Permit => "CONSENT_PERMIT",
        ConsentOutcome.Deny => "CONSENT_DENY",
        _ => "NO_CONSENT",
    };

    private static JsonObject Card(ConsentDecision decision)
    {
        var obligations = new JsonArray();
        if (decision.HasObligations)
        {
            obligations.Add(new JsonObject
            {
                ["actor"] = new JsonArray(),
                ["id"] = new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActCode", ["code"] = "REDACT" },
                ["parameters"] = new JsonObject
                {
                    ["codes"] = new JsonArray(decision.RedactLabels.Select(l => (JsonNode)new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-ActCode", ["code"] = l })
                        .Concat(decision.RedactClasses.Select(c => (JsonNode)new JsonObject { ["system"] = Fhir.FhirUris.DataClass, ["code"] = c })).ToArray()),
                },
            });
        }
        return new JsonObject
        {
            ["cards"] = new JsonArray(new JsonObject
            {
                ["uuid"] = Guid.NewGuid().ToString(),
                ["summary"] = Code(decision),
                ["detail"] = decision.Reason,
                ["indicator"] = decision.Permits ? "info" : "critical",
                ["source"] = new JsonObject { ["label"] = "Referral Exchange consent decision service" },
                ["extension"] = new JsonObject
                {
                    ["decision"] = Code(decision),
                    ["basedOn"] = decision.ConsentReference,
                    ["obligations"] = obligations,
                },
            }),
        };
    }

    private static IEnumerable<string> Values(JsonNode? array, string property) =>
        (array as JsonArray ?? []).Select(v => v?[property]?.GetValue<string>()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!);
}
