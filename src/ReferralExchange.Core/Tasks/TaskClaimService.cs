using Hl7.Fhir.Model;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;
using ReferralExchange.Core.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Core.Tasks;

/// <summary>
/// An open referral (no owner, routed by category) is claimed by one partner of the right kind,
/// among those the consent names: the first claim wins; later or concurrent claims get 409.
/// </summary>
public sealed class TaskClaimService(IResourceStore store, ProfileValidator validator, Privacy.IConsentRepository consents, Privacy.ConsentGate gate, TimeProvider time)
{
    public async Task<StoredResource> ClaimAsync(Caller caller, string taskId, CancellationToken ct)
    {
        var current = await store.ReadAsync("Task", taskId, ct) ?? throw GatewayException.NotFound("Task", taskId);
        var access = current.ReferralKey is null ? null : await store.GetAccessAsync(current.ReferralKey, ct);
        if (access is null)
        {
            throw GatewayException.NotFound("Task", taskId);
        }
        if (access.RecipientId == caller.Partner.Id)
        {
            throw new GatewayException(ErrorKind.Conflict, "conflict", "You already own this referral", "Task.owner");
        }
        // A partner the consent named gets the same answer whether another claim landed before its
        // request or during it (409); anyone else learns nothing (404). The consent is asked about
        // this partner's access now, so a candidate whose consent was revoked is told "not found".
        var wasCandidate = access.RecipientId is null
            ? access.Candidates.Contains(caller.Partner.Id)
            : await store.WasCandidateAsync(access.ReferralKey, caller.Partner.Id, ct);
        if (!wasCandidate)
        {
            throw GatewayException.NotFound("Task", taskId);
        }

        // Being a candidate is not enough: the consent must permit this partner now, as for a read.
        var policies = (await consents.PoliciesAsync([access.ReferralKey], ct)).GetValueOrDefault(access.ReferralKey) ?? [];
        if (!gate.MaySee(caller, access, Privacy.DisclosureShaper.Inspect(current.Json).ResourceLabels, policies))
        {
            throw GatewayException.NotFound("Task", taskId);
        }
        if (access.RecipientId is not null)
        {
            throw new GatewayException(ErrorKind.Conflict, "conflict", "This referral has already been claimed", "Task.owner");
        }
        var task = (FhirTask)FhirJson.ParseStored(current.Json);
        if (task.Status != FhirTask.TaskStatus.Requested)
        {
            throw new GatewayException(ErrorKind.Conflict, "business-rule", "Only a requested open referral can be claimed", "Task.status");
        }
        var now = time.GetUtcNow();
        task.Owner = new ResourceReference(caller.Partner.Reference) { Display = caller.Partner.Name };
        task.LastModified = now.ToString("yyyy-MM-ddTHH:mm:ssZ");
        await validator.EnsureValidAsync(task, ct);
        var record = AuditRecord.For(caller, AuditActions.Update, AuditOutcome.Success, now) with
        {
            PatientId = access.PatientId,
            Detail = "open referral claimed",
        };
        return await store.ClaimAsync(access.ReferralKey, caller.Partner.Id, task, current.VersionId, now, record, ct)
            ?? throw new GatewayException(ErrorKind.Conflict, "conflict", "This referral has already been claimed", "Task.owner");
    }
}
