using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Search;
using ReferralExchange.Core.Storage;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>Task search in SQL: the access index filters (ADR 0009), the keyset follows the sort, the snapshot bounds the walk (ADR 0018).</summary>
public sealed partial class EfResourceStore
{
    public async Task<TaskPage> SearchTasksAsync(TaskSearchQuery query, string callerPartnerId, string purpose, DateTimeOffset now, CancellationToken ct)
    {
        var nowTicks = now.UtcTicks;
        var snapshot = query.SnapshotTicks;
        // The access index decides who may find each Task (ADR 0009); its probe is its primary key.
        var tasks = db.TaskIndex.AsNoTracking()
            .Where(t => t.LastUpdatedTicks <= snapshot)
            .Where(t => db.TaskAccess.Any(a => a.TaskId == t.TaskId && a.PartnerId == callerPartnerId
                && (a.Purpose == purpose || a.Purpose == TaskAccessGrants.AnyPurpose)
                && a.FromTicks <= nowTicks && a.UntilTicks > nowTicks));

        if (query.OwnerId is { } owner) tasks = tasks.Where(t => t.OwnerId == owner);
        if (query.OwnerMissing == true) tasks = tasks.Where(t => t.OwnerId == null);
        if (query.OwnerMissing == false) tasks = tasks.Where(t => t.OwnerId != null);
        if (query.RequesterId is { } requester) tasks = tasks.Where(t => t.RequesterId == requester);
        if (query.PatientId is { } patient) tasks = tasks.Where(t => t.PatientId == patient);
        if (query.FocusId is { } focus) tasks = tasks.Where(t => t.FocusId == focus);
        if (query.Common.Ids.Count > 0)
        {
            var ids = query.Common.Ids.ToList();
            tasks = tasks.Where(t => ids.Contains(t.TaskId));
        }
        if (query.Statuses.Count == 1)
        {
            var status = query.Statuses[0];
            tasks = tasks.Where(t => t.Status == status);
        }
        else if (query.Statuses.Count > 1)
        {
            var statuses = query.Statuses.ToList();
            tasks = tasks.Where(t => statuses.Contains(t.Status));
        }
        foreach (var bound in query.Common.LastUpdated)
        {
            var ticks = bound.Instant.UtcTicks;
            tasks = (bound.IsLower, bound.Inclusive) switch
            {
                (true, true) => tasks.Where(t => t.LastUpdatedTicks >= ticks),
                (true, false) => tasks.Where(t => t.LastUpdatedTicks > ticks),
                (false, true) => tasks.Where(t => t.LastUpdatedTicks <= ticks),
                (false, false) => tasks.Where(t => t.LastUpdatedTicks < ticks),
            };
        }
        int? total = query.Common.Total == TotalMode.Accurate ? await tasks.CountAsync(ct) : null;
        var sort = query.Common.Sort;
        if (query.After is { } after)
        {
            tasks = TaskKeyset.After(tasks, sort, after);
        }
        if (query.Common.Count == 0)
        {
            return new TaskPage([], total > 0 || (total is null && await tasks.AnyAsync(ct)), total);
        }
        // The page brings its referrals' participants and its Tasks' current versions in the same
        // statement (one query, not three; ADR 0032). The ordering is the subquery's, lifted by EF
        // onto the joined rows (TaskSearchPageQueryTests reads the SQL).
        var rows = await (
                from t in TaskKeyset.Order(tasks, sort).Take(query.Common.Count + 1)
                join r in db.Referrals.AsNoTracking() on t.ReferralKey equals r.ReferralKey
                join h in db.ResourceHeads.AsNoTracking() on new { ResourceType = "Task", ResourceId = t.TaskId } equals new { h.ResourceType, h.ResourceId }
                join v in db.ResourceVersions.AsNoTracking()
                    on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
                select new PageRow(t.TaskId, t.ReferralKey, t.Labels, t.FocusId, t.PatientId, t.RequesterId, t.LastUpdatedTicks, t.AuthoredOnTicks, t.PriorityRank,
                    r.RequesterId, r.RecipientId, r.PatientId, v))
            .ToListAsync(ct);
        var hasMore = rows.Count > query.Common.Count;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        if (total is null && query.Common.Total == TotalMode.WhenCheap && query.After is null && !hasMore)
        {
            total = rows.Count;
        }
        var candidates = await TaskAccessIndexer.CandidatesAsync(db, rows.Select(r => r.ReferralKey).Distinct().ToArray(), ct);
        var access = new Dictionary<string, ReferralAccess>();
        foreach (var r in rows)
        {
            access.TryAdd(r.ReferralKey, new ReferralAccess(r.ReferralKey, r.ReferralRequesterId, r.RecipientId, candidates[r.ReferralKey].ToList(), r.ReferralPatientId));
        }
        var items = rows
            .Select(r => new TaskCandidate(r.TaskId, r.ReferralKey, r.Labels.Length == 0 ? [] : r.Labels.Split(' '), r.FocusId, access[r.ReferralKey], r.LastUpdatedTicks,
                ToStored(r.Version))
            {
                PatientId = r.PatientId,
                RequesterId = r.RequesterId,
            })
            .ToList();
        var last = rows.Count == 0 ? null : rows[^1];
        var position = last is null ? null : new SearchPosition(
            sort.Key switch { SortKey.AuthoredOn => last.AuthoredOnTicks, SortKey.Priority => last.PriorityRank, _ => last.LastUpdatedTicks },
            last.LastUpdatedTicks, last.TaskId);
        return new TaskPage(items, hasMore, total, position);
    }

    private sealed record PageRow(string TaskId, string ReferralKey, string Labels, string FocusId, string PatientId, string RequesterId,
        long LastUpdatedTicks, long AuthoredOnTicks, int PriorityRank, string ReferralRequesterId, string? RecipientId, string ReferralPatientId,
        ResourceVersionRow Version);
}
