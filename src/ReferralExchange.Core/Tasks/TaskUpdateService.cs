using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
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

namespace ReferralExchange.Core.Tasks;

/// <summary>
/// A partner moves a referral's Task along (docs/domain.md "Task state machine"). Updates are full
/// PUTs guarded by If-Match (FHIR R4 §3.1.0.5 managing resource contention): only the workflow
/// elements may change; what the referral is about, who asked and who owns it may not.
/// </summary>
public sealed class TaskUpdateService(IResourceStore store, ProfileValidator validator, DeliveredServiceCodes deliveredServices,
    RequesterTaskWrite requesterWrite, TimeProvider time)
{
    private static readonly FhirJsonSerializer Serializer = new();

    /// <summary>Elements fixed at intake; a PUT that changes one is refused with its path.</summary>
    private static readonly HashSet<string> ImmutableElements =
        ["identifier", "basedOn", "groupIdentifier", "intent", "code", "focus", "for", "authoredOn", "requester", "owner", "encounter"];

    private readonly TaskTransitionTable _table = TaskTransitionTable.Default;

    public async Task<StoredResource> UpdateAsync(Caller who, string id, int? ifMatchVersion, FhirTask incoming, CancellationToken ct)
    {
        var caller = who.Partner;
        if (incoming.Id != id)
        {
            throw GatewayException.BadRequest("Task.id must equal the id in the URL", "Task.id");
        }

        var (current, access) = await store.ReadWithAccessAsync("Task", id, ct) ?? throw GatewayException.NotFound("Task", id);
        if (access is null || !AccessPolicy.CanSee(caller, "Task", access))
        {
            throw GatewayException.NotFound("Task", id);
        }
        var role = AccessPolicy.RoleOn(caller, access);
        if (role == TaskRole.None)
        {
            // A claim candidate can see an open Task but cannot edit it (claiming is its own operation).
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", "Only the owner or the requester may update this Task", "Task");
        }

        if (ifMatchVersion is null)
        {
            // Version-aware updates only (FHIR R4 http.html#concurrency); a missing precondition is 428, a stale one 412.
            throw new GatewayException(ErrorKind.PreconditionRequired, "required", "If-Match with the Task's current version is required (W/\"n\")", "If-Match");
        }
        if (ifMatchVersion != current.VersionId)
        {
            throw new GatewayException(ErrorKind.PreconditionFailed, "conflict",
                $"If-Match names version {ifMatchVersion} but the current version is {current.VersionId}", "If-Match");
        }

        var stored = (FhirTask)FhirJson.ParseStored(current.Json);
        if (role == TaskRole.Requester)
        {
            // The source moves the Task and says why; output and the rest are the owner's (422 with the path).
            incoming = requesterWrite.Merge(stored, incoming, _table.RequesterWrites, ImmutableElements);
        }
        EnsureImmutableUnchanged(stored, incoming);
        EnsureTransitionAllowed(stored, incoming, role);
        EnsureDeliveredServiceCodes(incoming);
        if (incoming.Status == FhirTask.TaskStatus.Completed && stored.Status != FhirTask.TaskStatus.Completed)
        {
            await EnsureDeliveryProvenAsync(incoming, ct);
        }

        incoming.LastModified = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ");
        incoming.Meta ??= new Meta();
        incoming.Meta.Profile = [FhirUris.TaskProfile];
        // Security labels are the gateway's, set at intake: a client cannot relabel (or unlabel) a Task.
        incoming.Meta.Security = stored.Meta?.Security.Select(c => (Coding)c.DeepCopy()).ToList() ?? [];
        incoming.Meta.Tag = stored.Meta?.Tag.Select(c => (Coding)c.DeepCopy()).ToList() ?? [];
        await validator.EnsureValidAsync(incoming, ct);

        var now = time.GetUtcNow();
        var record = AuditRecord.For(who, AuditActions.Update, AuditOutcome.Success, now) with { PatientId = access.PatientId };
        return await store.UpdateAsync(incoming, current.VersionId, now, record, ct);
    }

    private void EnsureTransitionAllowed(FhirTask current, FhirTask incoming, TaskRole role)
    {
        var from = current.Status?.GetLiteral() ?? "draft";
        var to = incoming.Status?.GetLiteral() ?? throw GatewayException.Invalid("Task.status is required", "Task.status");
        if (from == to)
        {
            if (_table.Final.Contains(from))
            {
                throw new GatewayException(ErrorKind.Conflict, "business-rule", $"A {from} Task does not change again", "Task.status");
            }
            if (!role.HasFlag(TaskRole.Owner))
            {
                throw new GatewayException(ErrorKind.Forbidden, "forbidden", "Only the owner may update a Task's progress details", "Task");
            }
            return;
        }
        if (!_table.IsAllowed(from, to, role))
        {
            var allowed = _table.AllowedMoves(from, role);
            var list = allowed.Count == 0 ? "none" : string.Join(", ", allowed);
            throw new GatewayException(ErrorKind.Conflict, "business-rule",
                $"Task cannot move from {from} to {to}; allowed moves for you: {list}", "Task.status");
        }
        if (_table.ReasonRequired.Contains(to) && string.IsNullOrWhiteSpace(incoming.StatusReason?.Text))
        {
            throw GatewayException.Invalid($"Moving a Task to {to} requires statusReason.text", "Task.statusReason.text");
        }
        if (_table.OutputRequired.Contains(to) && incoming.Output.Count == 0)
        {
            throw GatewayException.Invalid($"Moving a Task to {to} requires an output saying what was delivered", "Task.output");
        }
    }

    /// <summary>
    /// docs/domain.md: completed needs an output saying what was delivered: a Procedure of this referral
    /// (based on the Task's ServiceRequest, with when it was performed), or a delivered-service code.
    /// </summary>
    private async System.Threading.Tasks.Task EnsureDeliveryProvenAsync(FhirTask task, CancellationToken ct)
    {
        foreach (var output in task.Output)
        {
            switch (output.Value)
            {
                case ResourceReference { Reference: { } reference } when reference.StartsWith("Procedure/", StringComparison.Ordinal):
                    var procedure = await store.ReadAsync("Procedure", reference["Procedure/".Length..], ct);
                    if (procedure is not null && FhirJson.ParseStored(procedure.Json) is Procedure p
                        && p.BasedOn.Any(b => b.Reference == task.Focus?.Reference) && p.Performed is not null)
                    {
                        return;
                    }
                    break;
                case CodeableConcept concept when deliveredServices.HasMember(concept):
                    return;
            }
        }
        throw GatewayException.Invalid(
            "Completing a Task needs an output: a Procedure of this referral with when it was performed, or a delivered-service code",
            "Task.output");
    }

    /// <summary>A delivered-service code in an output must be one of ours, whatever the status (422 with its path).</summary>
    private void EnsureDeliveredServiceCodes(FhirTask task)
    {
        var issues = task.Output
            .Select((output, i) => (output, i))
            .Where(x => x.output.Value is CodeableConcept)
            .SelectMany(x => deliveredServices.Check((CodeableConcept)x.output.Value, $"Task.output[{x.i}].valueCodeableConcept"))
            .ToList();
        if (issues.Count > 0)
        {
            throw new GatewayException(ErrorKind.Unprocessable, issues);
        }
    }

    private static void EnsureImmutableUnchanged(FhirTask current, FhirTask incoming)
    {
        var before = JsonNode.Parse(Serializer.SerializeToString(current))!.AsObject();
        var after = JsonNode.Parse(Serializer.SerializeToString(incoming))!.AsObject();
        var changed = ImmutableElements
            .Where(e => !JsonNode.DeepEquals(before[e], after[e]))
            .Select(e => new Issue("business-rule", $"Task.{e} is set at intake and cannot be changed", $"Task.{e}"))
            .ToList();
        if (changed.Count > 0)
        {
            throw new GatewayException(ErrorKind.Unprocessable, changed);
        }
    }
}
