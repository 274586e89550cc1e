using Hl7.Fhir.Utility;
using ReferralExchange.Infrastructure.Persistence.Rows;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>Extracts the Task search and sort parameters from a Task into its index row.</summary>
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
        row.AuthoredOnTicks = AuthoredOnTicks(task);
        row.PriorityRank = PriorityRank(task);
    }

    /// <summary>authoredOn as UTC ticks; a partial date sorts at its start (FHIR R4 §3.1.1.4.2: a date stands for its range).</summary>
    public static long AuthoredOnTicks(FhirTask task) =>
        task.AuthoredOnElement is { } authored && authored.TryToDateTimeOffset(out var instant) ? instant.UtcTicks : 0;

    /// <summary>
    /// The request-priority codes in their defined order (FHIR R4 ValueSet request-priority: routine,
    /// urgent, asap, stat), so that <c>_sort=-priority</c> puts stat first; absent sorts before routine.
    /// </summary>
    public static int PriorityRank(FhirTask task) => task.Priority switch
    {
        Hl7.Fhir.Model.RequestPriority.Routine => 1,
        Hl7.Fhir.Model.RequestPriority.Urgent => 2,
        Hl7.Fhir.Model.RequestPriority.Asap => 3,
        Hl7.Fhir.Model.RequestPriority.Stat => 4,
        _ => 0,
    };

    private static string? IdOf(string? reference) =>
        reference is null ? null : reference[(reference.IndexOf('/') + 1)..];
}
