using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Reading;
using ReferralExchange.Core.Search;
using ReferralExchange.Core.Storage;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>
/// Search on the other resources of a referral, and type-level history, in SQL. A resource is a
/// candidate when its referral has an access-index row for this caller, purpose and instant (ADR
/// 0009: the caller may find the referral's Task) and, unless its type is one a claim candidate may
/// see (Task, ServiceRequest: AccessPolicy), the caller is the referral's source or recipient. The
/// consent gate then decides each entry, as everywhere.
/// </summary>
public sealed partial class EfResourceStore
{
    /// <summary>The types a partner that may only claim an open referral sees (mirrors AccessPolicy).</summary>
    private static bool OpenReferralType(string type) => type is "Task" or "ServiceRequest";

    public async Task<ResourcePage> SearchReferralResourcesAsync(ResourceSearchQuery query, string callerPartnerId, string purpose, DateTimeOffset now, CancellationToken ct)
    {
        var type = query.ResourceType;
        var snapshot = query.SnapshotTicks;
        var heads = VisibleReferralKeys(db.ResourceHeads.AsNoTracking().Where(h => h.ResourceType == type && h.LastUpdatedTicks <= snapshot),
            type, callerPartnerId, purpose, now.UtcTicks);
        if (query.Common.Ids.Count > 0)
        {
            var ids = query.Common.Ids.ToList();
            heads = heads.Where(h => ids.Contains(h.ResourceId));
        }
        foreach (var bound in query.Common.LastUpdated)
        {
            var ticks = bound.Instant.UtcTicks;
            heads = (bound.IsLower, bound.Inclusive) switch
            {
                (true, true) => heads.Where(h => h.LastUpdatedTicks >= ticks),
                (true, false) => heads.Where(h => h.LastUpdatedTicks > ticks),
                (false, true) => heads.Where(h => h.LastUpdatedTicks <= ticks),
                (false, false) => heads.Where(h => h.LastUpdatedTicks < ticks),
            };
        }
        int? total = query.Common.Total == TotalMode.Accurate ? await heads.CountAsync(ct) : null;
        var descending = query.Common.Sort.Descending;
        if (query.After is { } after)
        {
            var lu = after.LastUpdatedTicks;
            var id = after.Id;
            heads = descending
                ? heads.Where(h => h.LastUpdatedTicks <= lu && (h.LastUpdatedTicks < lu || string.Compare(h.ResourceId, id) < 0))
                : heads.Where(h => h.LastUpdatedTicks >= lu && (h.LastUpdatedTicks > lu || string.Compare(h.ResourceId, id) > 0));
        }
        if (query.Common.Count == 0)
        {
            return new ResourcePage([], total > 0 || (total is null && await heads.AnyAsync(ct)), total);
        }
        var ordered = descending
            ? heads.OrderByDescending(h => h.LastUpdatedTicks).ThenByDescending(h => h.ResourceId)
            : heads.OrderBy(h => h.LastUpdatedTicks).ThenBy(h => h.ResourceId);
        var rows = await ordered.Select(h => new { h.ResourceId, ReferralKey = h.ReferralKey!, h.LastUpdatedTicks })
            .Take(query.Common.Count + 1)
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
        var access = await TaskAccessIndexer.AccessAsync(db, rows.Select(r => r.ReferralKey).Distinct().ToList(), ct);
        var items = rows.Where(r => access.ContainsKey(r.ReferralKey))
            .Select(r => new ResourceCandidate(r.ResourceId, r.ReferralKey, r.LastUpdatedTicks, access[r.ReferralKey]))
            .ToList();
        var last = rows.Count == 0 ? null : rows[^1];
        return new ResourcePage(items, hasMore, total, last is null ? null : new SearchPosition(last.LastUpdatedTicks, last.LastUpdatedTicks, last.ResourceId));
    }

    public async Task<VersionPage> TypeHistoryAsync(TypeHistoryQuery query, string callerPartnerId, string purpose, DateTimeOffset now, CancellationToken ct)
    {
        var type = query.ResourceType;
        var snapshot = query.SnapshotTicks;
        var versions = db.ResourceVersions.AsNoTracking().Where(v => v.ResourceType == type && v.LastUpdatedTicks <= snapshot);
        if (query.SinceTicks is { } since)
        {
            versions = versions.Where(v => v.LastUpdatedTicks >= since);
        }
        // Directory data (partner Organizations) lives outside referrals and is every partner's to read.
        versions = type == "Organization"
            ? versions.Where(v => v.ReferralKey == null)
            : VisibleReferralKeys(versions, type, callerPartnerId, purpose, now.UtcTicks);
        if (query.After is { } after)
        {
            var lu = after.LastUpdatedTicks;
            var id = after.ResourceId;
            var version = after.VersionId;
            versions = versions.Where(v => v.LastUpdatedTicks <= lu
                && (v.LastUpdatedTicks < lu || string.Compare(v.ResourceId, id) < 0 || (v.ResourceId == id && v.VersionId < version)));
        }
        var rows = await versions
            .OrderByDescending(v => v.LastUpdatedTicks).ThenByDescending(v => v.ResourceId).ThenByDescending(v => v.VersionId)
            .Take(query.Count + 1)
            .ToListAsync(ct);
        var hasMore = rows.Count > query.Count;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        var access = await TaskAccessIndexer.AccessAsync(db, rows.Select(r => r.ReferralKey).OfType<string>().Distinct().ToList(), ct);
        var items = rows.Where(r => r.ReferralKey is null || access.ContainsKey(r.ReferralKey))
            .Select(r => new VisibleVersion(ToStored(r), r.ReferralKey is null ? null : access[r.ReferralKey]))
            .ToList();
        return new VersionPage(items, hasMore);
    }

    private IQueryable<ResourceHeadRow> VisibleReferralKeys(IQueryable<ResourceHeadRow> heads, string type, string partner, string purpose, long nowTicks)
    {
        heads = heads.Where(h => h.ReferralKey != null && db.TaskAccess.Any(a => a.ReferralKey == h.ReferralKey && a.PartnerId == partner
            && (a.Purpose == purpose || a.Purpose == TaskAccessGrants.AnyPurpose) && a.FromTicks <= nowTicks && a.UntilTicks > nowTicks));
        return OpenReferralType(type)
            ? heads
            : heads.Where(h => db.Referrals.Any(r => r.ReferralKey == h.ReferralKey && (r.RequesterId == partner || r.RecipientId == partner)));
    }

    private IQueryable<ResourceVersionRow> VisibleReferralKeys(IQueryable<ResourceVersionRow> versions, string type, string partner, string purpose, long nowTicks)
    {
        versions = versions.Where(v => v.ReferralKey != null && db.TaskAccess.Any(a => a.ReferralKey == v.ReferralKey && a.PartnerId == partner
            && (a.Purpose == purpose || a.Purpose == TaskAccessGrants.AnyPurpose) && a.FromTicks <= nowTicks && a.UntilTicks > nowTicks));
        return OpenReferralType(type)
            ? versions
            : versions.Where(v => db.Referrals.Any(r => r.ReferralKey == v.ReferralKey && (r.RequesterId == partner || r.RecipientId == partner)));
    }
}
