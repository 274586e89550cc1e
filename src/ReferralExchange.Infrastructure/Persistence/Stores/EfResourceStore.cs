using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Search;
using ReferralExchange.Core.Storage;
using ReferralExchange.Infrastructure.Persistence.Rows;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>EF Core implementation of versioned resource storage (searches in EfResourceStore.Search.cs); every write is a unit of the group commit.</summary>
public sealed partial class EfResourceStore(GatewayDbContext db, GroupCommit commit, TaskAccessIndexer accessIndex) : IResourceStore
{
    // The read by id is the hottest query: one join, compiled once (EF Core compiled queries skip
    // the LINQ translation on every call).
    private static readonly CompiledPerModel<Func<GatewayDbContext, string, string, Task<ResourceVersionRow?>>> CurrentVersion = new(() =>
        EF.CompileAsyncQuery((GatewayDbContext db, string type, string id) => (
            from h in db.ResourceHeads.AsNoTracking()
            join v in db.ResourceVersions.AsNoTracking()
                on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
            where h.ResourceType == type && h.ResourceId == id
            select v).FirstOrDefault()));

    public async Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken ct)
    {
        if (await CurrentVersion.For(db)(db, resourceType, id) is { } row)
        {
            return ToStored(row);
        }
        await RefuseHeadWithoutVersionAsync(resourceType, id, ct);
        return null;
    }

    /// <summary>
    /// Only on a miss: a head whose version row is gone was deleted outside the gateway (ADR 0012),
    /// which is an integrity failure, not "not found".
    /// </summary>
    private async System.Threading.Tasks.Task RefuseHeadWithoutVersionAsync(string resourceType, string id, CancellationToken ct)
    {
        if (await db.ResourceHeads.AsNoTracking().AnyAsync(h => h.ResourceType == resourceType && h.ResourceId == id, ct))
        {
            throw GatewayException.IntegrityFailure($"{resourceType}/{id}");
        }
    }

    public async Task<StoredResource?> ReadVersionAsync(string resourceType, string id, int versionId, CancellationToken ct)
    {
        var row = await db.ResourceVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.ResourceType == resourceType && v.ResourceId == id && v.VersionId == versionId, ct);
        return row is null ? null : ToStored(row);
    }

    public async Task<IReadOnlyList<StoredResource>> HistoryAsync(string resourceType, string id, CancellationToken ct)
    {
        var rows = await db.ResourceVersions.AsNoTracking()
            .Where(v => v.ResourceType == resourceType && v.ResourceId == id)
            .OrderByDescending(v => v.VersionId)
            .ToListAsync(ct);
        return rows.Select(ToStored).ToList();
    }

    public async Task<IReadOnlyList<StoredResource>> ReadManyAsync(string resourceType, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var rows = await (
            from h in db.ResourceHeads.AsNoTracking()
            join v in db.ResourceVersions.AsNoTracking()
                on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
            where h.ResourceType == resourceType && ids.Contains(h.ResourceId)
            select v).ToListAsync(ct);
        return rows.Select(ToStored).ToList();
    }

    private sealed record ParticipantsRow(string RequesterId, string? RecipientId, string PatientId);

    private static readonly CompiledPerModel<Func<GatewayDbContext, string, Task<ParticipantsRow?>>> ReferralByKey = new(() =>
        EF.CompileAsyncQuery((GatewayDbContext db, string key) => db.Referrals.AsNoTracking()
            .Where(r => r.ReferralKey == key)
            .Select(r => new ParticipantsRow(r.RequesterId, r.RecipientId, r.PatientId))
            .FirstOrDefault()));

    public async Task<ReferralAccess?> GetAccessAsync(string referralKey, CancellationToken ct) =>
        await ReferralByKey.For(db)(db, referralKey) is { } referral ? await AccessAsync(referralKey, referral, ct) : null;

    private sealed record VersionWithParticipants(ResourceVersionRow Version, ParticipantsRow? Referral);

    // A read decides on the current version and its referral's participants: one query, not two
    // (ADR 0029), by the same indexes as CurrentVersion and ReferralByKey.
    private static readonly CompiledPerModel<Func<GatewayDbContext, string, string, Task<VersionWithParticipants?>>> CurrentVersionWithParticipants = new(() =>
        EF.CompileAsyncQuery((GatewayDbContext db, string type, string id) => (
            from h in db.ResourceHeads.AsNoTracking()
            join v in db.ResourceVersions.AsNoTracking()
                on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
            join r in db.Referrals.AsNoTracking() on v.ReferralKey equals r.ReferralKey into referrals
            from r in referrals.DefaultIfEmpty()
            where h.ResourceType == type && h.ResourceId == id
            select new VersionWithParticipants(v, r == null ? null : new ParticipantsRow(r.RequesterId, r.RecipientId, r.PatientId))).FirstOrDefault()));

    public async Task<(StoredResource Resource, ReferralAccess? Access)?> ReadWithAccessAsync(string resourceType, string id, CancellationToken ct)
    {
        if (await CurrentVersionWithParticipants.For(db)(db, resourceType, id) is not { } found)
        {
            await RefuseHeadWithoutVersionAsync(resourceType, id, ct);
            return null;
        }
        var resource = ToStored(found.Version);
        return (resource, resource.ReferralKey is { } key && found.Referral is { } referral ? await AccessAsync(key, referral, ct) : null);
    }

    private async Task<ReferralAccess> AccessAsync(string referralKey, ParticipantsRow referral, CancellationToken ct)
    {
        // Who may claim matters only while nobody has (AccessPolicy): a claimed referral skips the query.
        var candidates = referral.RecipientId is not null ? [] : await db.ReferralParticipants.AsNoTracking()
            .Where(p => p.ReferralKey == referralKey && p.Role == ReferralParticipantRow.Candidate)
            .Select(p => p.PartnerId)
            .ToListAsync(ct);
        return new ReferralAccess(referralKey, referral.RequesterId, referral.RecipientId, candidates, referral.PatientId);
    }

    public Task<bool> WasCandidateAsync(string referralKey, string partnerId, CancellationToken ct) =>
        db.ReferralParticipants.AsNoTracking()
            .AnyAsync(p => p.ReferralKey == referralKey && p.PartnerId == partnerId && p.Role == ReferralParticipantRow.Candidate, ct);

    public async Task<StoredResource> UpdateAsync(Resource resource, int expectedVersion, DateTimeOffset now, AuditRecord audit, CancellationToken ct) =>
        (await UpdateManyAsync([(resource, expectedVersion)], now, [audit], ct))[0];

    public Task<IReadOnlyList<StoredResource>> UpdateManyAsync(IReadOnlyList<(Resource Resource, int ExpectedVersion)> changes, DateTimeOffset now,
        IReadOnlyList<AuditRecord> audit, CancellationToken ct) =>
        commit.RunAsync((tx, token) => WriteVersionsAsync(tx, changes, now, audit, token), ct);

    /// <summary>New versions of existing resources, their Task index, outbox, access index and audit records, in the caller's unit.</summary>
    private async Task<IReadOnlyList<StoredResource>> WriteVersionsAsync(GatewayDbContext tx, IReadOnlyList<(Resource Resource, int ExpectedVersion)> changes,
        DateTimeOffset now, IReadOnlyList<AuditRecord> audit, CancellationToken ct)
    {
        var ticks = ResourceStamp.Truncate(now).UtcTicks;
        var stored = new List<StoredResource>();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (resource, expectedVersion) in changes)
        {
            var head = await tx.ResourceHeads
                .FirstOrDefaultAsync(h => h.ResourceType == resource.TypeName && h.ResourceId == resource.Id, ct)
                ?? throw GatewayException.NotFound(resource.TypeName, resource.Id ?? string.Empty);
            if (head.CurrentVersion != expectedVersion)
            {
                throw Stale(expectedVersion, head.CurrentVersion);
            }

            var version = expectedVersion + 1;
            ResourceStamp.Apply(resource, version, now);
            var row = VersionIntegrity.Sealed(new ResourceVersionRow
            {
                ResourceType = resource.TypeName,
                ResourceId = resource.Id!,
                VersionId = version,
                LastUpdatedTicks = ticks,
                Json = FhirJson.Serialize(resource),
                ReferralKey = head.ReferralKey,
                SecurityLabels = ResourceStamp.Labels(resource),
            });
            tx.ResourceVersions.Add(row);
            head.CurrentVersion = version;
            head.LastUpdatedTicks = ticks;
            if (resource is FhirTask task)
            {
                var index = await tx.TaskIndex.FirstAsync(t => t.TaskId == task.Id, ct);
                TaskIndexer.Update(index, task, ticks);
                await Notifications.OutboxWriter.EnqueueAsync(tx, task, head.ReferralKey!, index.Labels, ticks, ct);
            }
            stored.Add(ToStored(row));
            hashes[stored[^1].VersionedReference] = row.ContentHash!;
        }

        await AuditAppender.AppendAsync(tx, WrittenVersionCoverage.Cover(audit, stored, hashes), ct);
        try
        {
            await tx.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another writer (another gateway on a server database) committed this version first.
            throw Stale(changes[0].ExpectedVersion, null);
        }
        // A new Task (owner, labels) or Consent version changes who may find the referral's Tasks.
        await accessIndex.RefreshAsync(tx, stored.Where(s => s.ResourceType is "Task" or "Consent").Select(s => s.ReferralKey).OfType<string>().ToList(), ct);
        return stored;
    }

    public Task<StoredResource> CreateAsync(Resource resource, string referralKey, DateTimeOffset now, AuditRecord audit, CancellationToken ct) =>
        commit.RunAsync(async (tx, token) =>
        {
            var stamp = ResourceStamp.Truncate(now);
            ResourceStamp.Apply(resource, 1, stamp);
            var row = VersionIntegrity.Sealed(new ResourceVersionRow
            {
                ResourceType = resource.TypeName,
                ResourceId = resource.Id!,
                VersionId = 1,
                LastUpdatedTicks = stamp.UtcTicks,
                Json = FhirJson.Serialize(resource),
                ReferralKey = referralKey,
                SecurityLabels = ResourceStamp.Labels(resource),
            });
            tx.ResourceVersions.Add(row);
            tx.ResourceHeads.Add(new ResourceHeadRow
            {
                ResourceType = resource.TypeName,
                ResourceId = resource.Id!,
                CurrentVersion = 1,
                LastUpdatedTicks = stamp.UtcTicks,
                ReferralKey = referralKey,
            });
            var stored = ToStored(row);
            await AuditAppender.AppendAsync(tx, [audit with { Resources = [new AuditedResource(stored.VersionedReference, stored.SecurityLabels, row.ContentHash)] }], token);
            await tx.SaveChangesAsync(token);
            if (resource.TypeName == "Consent")
            {
                await accessIndex.RefreshAsync(tx, [referralKey], token);
            }
            return stored;
        }, ct);

    public Task<StoredResource?> ClaimAsync(string referralKey, string partnerId, Resource task, int expectedVersion, DateTimeOffset now, AuditRecord audit, CancellationToken ct) =>
        commit.RunAsync<StoredResource?>(async (tx, token) =>
        {
            // First claim wins: the recipient is set only while there is none, in the same unit as
            // the Task's new version.
            var claimed = await tx.Referrals
                .Where(r => r.ReferralKey == referralKey && r.RecipientId == null)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.RecipientId, partnerId), token);
            if (claimed == 0)
            {
                return null;
            }
            tx.ReferralParticipants.Add(new ReferralParticipantRow { ReferralKey = referralKey, PartnerId = partnerId, Role = ReferralParticipantRow.Recipient });
            return (await WriteVersionsAsync(tx, [(task, expectedVersion)], now, [audit], token))[0];
        }, ct);

    public async Task<IReadOnlyList<StoredResource>> TaskHistoriesAsync(string? requesterId, CancellationToken ct)
    {
        var versions = db.ResourceVersions.AsNoTracking().Where(v => v.ResourceType == "Task");
        if (requesterId is not null)
        {
            versions = versions.Where(v => db.Referrals.Any(r => r.ReferralKey == v.ReferralKey && r.RequesterId == requesterId));
        }
        var rows = await versions.OrderBy(v => v.ResourceId).ThenBy(v => v.VersionId).ToListAsync(ct);
        return rows.Select(ToStored).ToList();
    }

    public async Task<IReadOnlyList<StoredResource>> ReadReferralsAsync(IReadOnlyCollection<string> referralKeys, string resourceType, CancellationToken ct)
    {
        if (referralKeys.Count == 0)
        {
            return [];
        }
        var keys = referralKeys.ToList();
        var rows = await (
            from h in db.ResourceHeads.AsNoTracking()
            join v in db.ResourceVersions.AsNoTracking()
                on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
            where h.ResourceType == resourceType && h.ReferralKey != null && keys.Contains(h.ReferralKey)
            select v).ToListAsync(ct);
        return rows.Select(ToStored).ToList();
    }

    public async Task<IReadOnlyList<StoredResource>> ReadReferralAsync(string referralKey, string resourceType, CancellationToken ct)
    {
        var rows = await (
            from h in db.ResourceHeads.AsNoTracking()
            join v in db.ResourceVersions.AsNoTracking()
                on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
            where h.ReferralKey == referralKey && h.ResourceType == resourceType
            select v).ToListAsync(ct);
        return rows.Select(ToStored).ToList();
    }

    /// <summary>Every version leaves the store through here, so every read checks its bytes (ADR 0012).</summary>
    internal static StoredResource ToStored(ResourceVersionRow row)
    {
        VersionIntegrity.Check(row);
        return new(row.ResourceType, row.ResourceId, row.VersionId, new DateTimeOffset(row.LastUpdatedTicks, TimeSpan.Zero), row.Json, row.ReferralKey,
            row.SecurityLabels.Length == 0 ? [] : row.SecurityLabels.Split(' '));
    }

    private static GatewayException Stale(int expected, int? current) =>
        new(ErrorKind.PreconditionFailed, "conflict",
            current is null
                ? $"Version {expected} is no longer current"
                : $"If-Match names version {expected} but the current version is {current}",
            "If-Match");
}
