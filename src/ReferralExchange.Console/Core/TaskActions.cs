using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Reading;
using ReferralExchange.Core.Tasks;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace ReferralExchange.WebConsole.Core;

/// <summary>
/// A worker's actions on a referral, as a partner system performs them through the API: read the
/// current Task, change it, write it with If-Match; claim; record the Procedure; revoke consent.
/// The Task state machine, consent gate and audit trail are the core's (issue 16 must-hold 1).
/// </summary>
public sealed class TaskActions(GatewayCore core, TimeProvider time)
{
    public Task MoveAsync(Caller caller, string taskId, string status, string? reason, string? deliveredCode, CancellationToken ct) => core.RunAsync(async services =>
    {
        var current = await services.GetRequiredService<ResourceReader>().ReadAsync(caller, "Task", taskId, ct);
        var task = FhirJson.Parse<FhirTask>(current.Resource.Json);
        task.Status = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<FhirTask.TaskStatus>(status);
        if (!string.IsNullOrWhiteSpace(reason))
        {
            task.StatusReason = new CodeableConcept { Text = reason.Trim() };
        }
        if (status == "completed" && deliveredCode is not null)
        {
            task.Output.Add(new FhirTask.OutputComponent
            {
                Type = new CodeableConcept { Text = "delivered" },
                Value = new CodeableConcept(DeliveredServiceCodes.System, deliveredCode),
            });
        }
        await services.GetRequiredService<TaskUpdateService>().UpdateAsync(caller, taskId, current.Resource.VersionId, task, ct);
    });

    public Task ClaimAsync(Caller caller, string taskId, CancellationToken ct) =>
        core.RunAsync(services => services.GetRequiredService<TaskClaimService>().ClaimAsync(caller, taskId, ct));

    public Task RecordDeliveryAsync(Caller caller, FhirTask task, string deliveredCode, CancellationToken ct) => core.RunAsync(services =>
        services.GetRequiredService<ProcedureService>().CreateAsync(caller, new Procedure
        {
            BasedOn = [new ResourceReference(task.Focus?.Reference)],
            Status = EventStatus.Completed,
            Code = new CodeableConcept(DeliveredServiceCodes.System, deliveredCode),
            Subject = new ResourceReference(task.For?.Reference),
            Performed = new FhirDateTime(time.GetUtcNow()),
        }, ct));

    public Task RevokeConsentAsync(Caller caller, string consentId, CancellationToken ct) =>
        core.RunAsync(services => services.GetRequiredService<ConsentRevocationService>().RevokeAsync(caller, consentId, ct));
}
