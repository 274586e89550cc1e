using Hl7.Fhir.Utility;
using ReferralExchange.Infrastructure.Persistence.Rows;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>Extracts the Task search parameters from a Task into its index row.</summary>
internal static class TaskIndexer
{
    public static TaskIndexRow Create(FhirTask task, string referralKey, long ticks)
    {
        var row = new TaskIndexRow
        {
            TaskId = task.Id ?? throw new InvalidOperationException("A Task is indexed after it has an id"),
            ReferralKey = referralKey,
            Status = string.Empty,
            RequesterId = IdOf(task.Requester?.Reference) ?? string.Empty,
            PatientId = IdOf(task.For?.Reference) ?? string.Empty,
            FocusId = IdOf(task.Focus?.Reference) ?? string.Empty,
        };
        Update(row, task, ticks);
        return row;
    }

    public static void Update(TaskIndexRow row, FhirTask task, long ticks)
    {
        row.Status = task.Status?.GetLiteral() ?? "draft";
        row.OwnerId = IdOf(task.Owner?.Reference);
        row.Labels = string.Join(' ', task.Meta?.Security.Where(c => c.System == ReferralExchange.Core.Fhir.FhirUris.ActCode).Select(c => c.Code) ?? []);
        row.LastUpdatedTicks = ticks;
    }

    private static string? IdOf(string? reference) =>
        reference is null ? null : reference[(reference.IndexOf('/') + 1)..];
}
