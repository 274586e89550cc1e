using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Tasks;

/// <summary>
/// Proof of delivery: the receiving partner records what it delivered as a Procedure based on the
/// referral's ServiceRequest (intake attended, treatment started, placement confirmed, with when),
/// then completes its Task with that Procedure as output.
/// </summary>
public sealed class ProcedureService(IResourceStore store, ProfileValidator validator, DeliveredServiceCodes deliveredServices, TimeProvider time)
{
    public async Task<StoredResource> CreateAsync(Caller caller, Procedure procedure, CancellationToken ct)
    {
        var basedOn = procedure.BasedOn.Select(b => b.Reference).FirstOrDefault(r => r?.StartsWith("ServiceRequest/", StringComparison.Ordinal) == true)
            ?? throw GatewayException.Invalid("Procedure.basedOn must reference the referral's ServiceRequest", "Procedure.basedOn");
        var serviceRequest = await store.ReadAsync("ServiceRequest", basedOn["ServiceRequest/".Length..], ct);
        var access = serviceRequest?.ReferralKey is { } key ? await store.GetAccessAsync(key, ct) : null;
        if (access is null || access.RecipientId != caller.Partner.Id)
        {
            // Only the receiving partner reports delivery; anyone else learns nothing about the referral.
            throw new GatewayException(ErrorKind.Unprocessable, "not-found", "Procedure.basedOn is not a referral you own", "Procedure.basedOn");
        }
        if (procedure.Subject?.Reference != $"Patient/{access.PatientId}")
        {
            throw GatewayException.Invalid("Procedure.subject must be the referral's Patient", "Procedure.subject");
        }
        deliveredServices.EnsureValid(procedure);
        procedure.Id = ReferralTranslator.NewId();
        procedure.Meta = new Meta { Profile = [FhirUris.ProcedureProfile] };
        await validator.EnsureValidAsync(procedure, ct);
        var now = time.GetUtcNow();
        var record = AuditRecord.For(caller, AuditActions.Create, AuditOutcome.Success, now) with { PatientId = access.PatientId, Detail = "proof of delivery" };
        return await store.CreateAsync(procedure, access.ReferralKey, now, record, ct);
    }
}
