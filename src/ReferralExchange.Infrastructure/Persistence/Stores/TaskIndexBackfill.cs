using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Fhir;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>
/// Fills the sort columns (authored-on, priority) of Task index rows made before they existed: the
/// migration leaves them -1, and their values come from each Task's current version, which SQL
/// cannot turn into ticks. Runs at start-up before any search, in batches; a no-op afterwards.
/// </summary>
public static class TaskIndexBackfill
{
    private const int BatchSize = 500;

    public static async Task RunAsync(GatewayDbContext db, CancellationToken ct)
    {
        while (true)
        {
            var rows = await db.TaskIndex.Where(t => t.PriorityRank < 0 || t.AuthoredOnTicks < 0).Take(BatchSize).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return;
            }
            var ids = rows.Select(r => r.TaskId).ToList();
            var current = await (
                from h in db.ResourceHeads.AsNoTracking()
                join v in db.ResourceVersions.AsNoTracking()
                    on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
                where h.ResourceType == "Task" && ids.Contains(h.ResourceId)
                select new { v.ResourceId, v.Json }).ToDictionaryAsync(v => v.ResourceId, v => v.Json, ct);
            foreach (var row in rows)
            {
                var task = current.TryGetValue(row.TaskId, out var json) ? FhirJson.ParseStored(json) as FhirTask : null;
                row.AuthoredOnTicks = task is null ? 0 : TaskIndexer.AuthoredOnTicks(task);
                row.PriorityRank = task is null ? 0 : TaskIndexer.PriorityRank(task);
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }
}
