using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;
using ReferralExchange.Core.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// The person withdraws their consent (docs/domain.md "Revocation"): the referral source, or the
/// operator on the person's behalf, sets the Consent inactive. In the same transaction every open
/// Task of the referral is cancelled with the reason, so the referral source sees why; from the
/// next request on, every exit refuses the recipient. What was already disclosed stays in the audit
/// trail. A criminal-justice consent irrevocable until a date (42 CFR §2.35) cannot be revoked before it.
/// </summary>
public sealed class ConsentRevocationService(IResourceStore store, ProfileValidator validator, TimeProvider time)
{
    public const string RevokedReason = "The person revoked their consent; the referral cannot proceed.";
    private static readonly HashSet<string> Final = ["completed", "rejected", "cancelled", "failed", "entered-in-error"];

    public async Task<StoredResource> RevokeAsync(Caller caller, string consentId, CancellationToken ct)
    {
        var (current, access) = await store.ReadWithAccessAsync("Consent", consentId, ct) ?? throw GatewayException.NotFound("Consent", consentId);
        var isOperator = caller.Partner.Kind == PartnerKind.Operator;
        if (access is null || (!isOperator && !AccessPolicy.CanSee(caller.Partner, "Consent", access)))
        {
            throw GatewayException.NotFound("Consent", consentId);
        }
        if (!isOperator && caller.Partner.Id != access.RequesterId)
        {
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", "Only the referral source, or the operator on the person's behalf, may revoke a consent", "Consent");
        }

        var consent = (Hl7.Fhir.Model.Consent)FhirJson.ParseStored(current.Json);
        if (consent.Status != Hl7.Fhir.Model.Consent.ConsentState.Active)
        {
            return current;
        }
        var now = time.GetUtcNow();
        var policy = ConsentPolicyReader.Read(consent);
        if (policy.IrrevocableUntil is { } until && now < until)
        {
            throw new GatewayException(ErrorKind.Conflict, "business-rule",
                $"This consent is irrevocable until {until:yyyy-MM-dd} (42 CFR §2.35, criminal-justice referral)", "Consent.extension");
        }

        consent.Status = Hl7.Fhir.Model.Consent.ConsentState.Inactive;
        await validator.EnsureValidAsync(consent, ct);
        var changes = new List<(Resource, int)> { (consent, current.VersionId) };
        var records = new List<AuditRecord>
        {
            AuditRecord.For(caller, AuditActions.Update, AuditOutcome.Success, now) with
            {
                PatientId = access.PatientId,
                Resources = [new AuditedResource($"Consent/{consentId}/_history/{current.VersionId + 1}", current.SecurityLabels)],
                Detail = "consent revoked",
            },
        };
        foreach (var stored in await store.ReadReferralAsync(access.ReferralKey, "Task", ct))
        {
            var task = (FhirTask)FhirJson.ParseStored(stored.Json);
            if (Final.Contains(task.Status?.GetLiteral() ?? "draft"))
            {
                continue;
            }
            task.Status = FhirTask.TaskStatus.Cancelled;
            // The coding is what the referral source sees (minimum-necessary.json keeps coded reasons, not text).
            task.StatusReason = new CodeableConcept(FhirUris.Base + "/CodeSystem/task-status-reason", "consent-revoked", "Consent revoked", RevokedReason);
            task.BusinessStatus = new CodeableConcept(FhirUris.Base + "/CodeSystem/task-business-status", "consent-revoked", "Consent revoked");
            task.LastModified = now.ToString("yyyy-MM-ddTHH:mm:ssZ");
            await validator.EnsureValidAsync(task, ct);
            changes.Add((task, stored.VersionId));
            records.Add(AuditRecord.For(caller, AuditActions.Update, AuditOutcome.Success, now) with
            {
                PatientId = access.PatientId,
                Resources = [new AuditedResource($"Task/{task.Id}/_history/{stored.VersionId + 1}", stored.SecurityLabels)],
                Detail = "cancelled: consent revoked",
            });
        }
        return (await store.UpdateManyAsync(changes, now, records, ct))[0];
    }
}
