using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Notifications;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Notifications;

/// <summary>
/// The outbox on EF Core. Leases are taken with one conditional UPDATE whose WHERE repeats the lease
/// test (free, or expired), so of several processes racing for a row exactly one changes it: SQLite
/// serialises writers on its file lock; on PostgreSQL and SQL Server the claim skips rows another
/// session holds locked (SKIP LOCKED, READPAST) and re-checks the rest on their newest committed
/// version (ADR 0014, 0020). Every later write of the row is fenced on the lease owner.
/// </summary>
public sealed class EfNotificationStore(GatewayDbContext db, WriteGate gate) : INotificationStore
{
    public async Task<StoredSubscription> AddSubscriptionAsync(StoredSubscription s, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        db.Subscriptions.Add(new SubscriptionRow
        {
            Id = s.Id,
            PartnerId = s.PartnerId,
            OwnerId = s.Filter.OwnerId,
            RequesterId = s.Filter.RequesterId,
            Statuses = string.Join(',', s.Filter.Statuses),
            Endpoint = s.Endpoint.ToString(),
            Status = s.Status,
            CreatedTicks = s.Created.UtcTicks,
        });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return s;
    }

    public async Task<StoredSubscription?> GetSubscriptionAsync(string id, CancellationToken ct)
    {
        var row = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return row is null ? null : new StoredSubscription(row.Id, row.PartnerId,
            new SubscriptionFilter(row.OwnerId, row.RequesterId, row.Statuses.Length == 0 ? [] : row.Statuses.Split(',')),
            new Uri(row.Endpoint), row.Status, new DateTimeOffset(row.CreatedTicks, TimeSpan.Zero));
    }

    public async Task<IReadOnlyList<NotificationRun>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxRuns, int runLength, CancellationToken ct)
    {
        var nowTicks = now.UtcTicks;
        var untilTicks = leaseUntil.UtcTicks;
        var pending = db.Notifications.AsNoTracking().Where(n => n.Status == NotificationStatus.Pending);

        // Heads: a subscription's oldest pending row, when it is due and nobody holds it.
        var heads = await pending
            .Where(n => n.NextAttemptTicks <= nowTicks && (n.LeaseOwner == null || n.LeaseExpiresTicks <= nowTicks))
            .Where(n => !pending.Any(e => e.SubscriptionId == n.SubscriptionId
                && (e.CreatedTicks < n.CreatedTicks || (e.CreatedTicks == n.CreatedTicks && string.Compare(e.DeliveryId, n.DeliveryId) < 0))))
            .OrderBy(n => n.NextAttemptTicks)
            .Select(n => n.SubscriptionId)
            .Take(maxRuns)
            .ToListAsync(ct);
        if (heads.Count == 0)
        {
            return [];
        }

        var wanted = new List<string>();
        foreach (var subscription in heads)
        {
            var run = await InOrder(pending.Where(n => n.SubscriptionId == subscription)).Take(runLength)
                .Select(n => new { n.DeliveryId, n.LeaseOwner, n.LeaseExpiresTicks })
                .ToListAsync(ct);
            wanted.AddRange(run.TakeWhile(r => r.LeaseOwner == null || r.LeaseExpiresTicks <= nowTicks).Select(r => r.DeliveryId));
        }

        using (await gate.EnterAsync(ct))
        {
            await TakeLeasesAsync(wanted, owner, nowTicks, untilTicks, ct);
        }

        // What this claim won may have gaps (another process won some rows between the read and the
        // update): keep, per subscription, only the unbroken run of ours from its oldest pending row.
        var runs = new List<NotificationRun>();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subscription in heads)
        {
            var rows = await (
                from n in pending
                join s in db.Subscriptions.AsNoTracking() on n.SubscriptionId equals s.Id
                where n.SubscriptionId == subscription
                orderby n.CreatedTicks, n.DeliveryId
                select new { n, s.Endpoint })
                .Take(runLength)
                .ToListAsync(ct);
            var ours = rows.TakeWhile(r => r.n.LeaseOwner == owner && r.n.LeaseExpiresTicks == untilTicks)
                .Select(r => ToPending(r.n, r.Endpoint))
                .ToList();
            if (ours.Count > 0)
            {
                runs.Add(new NotificationRun(subscription, leaseUntil, ours));
                kept.UnionWith(ours.Select(n => n.DeliveryId));
            }
        }
        var giveBack = wanted.Where(id => !kept.Contains(id)).ToList();
        if (giveBack.Count > 0)
        {
            await ReleaseAsync(owner, giveBack, ct);
        }
        return runs;
    }

    /// <summary>
    /// The conditional lease update. On a server database a row another replica holds locked (claiming
    /// or marking it) is skipped, not waited for: PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>, SQL Server
    /// <c>READPAST</c> (issue 15 §3). SQLite has one writer at a time, so nothing is ever locked there.
    /// </summary>
    private async Task TakeLeasesAsync(List<string> wanted, string owner, long nowTicks, long untilTicks, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await Persistence.PostgreSql.PostgreSqlNotificationLeases.TakeAsync(db, wanted, owner, nowTicks, untilTicks, ct);
            return;
        }
        if (db.Database.IsSqlServer())
        {
            foreach (var chunk in wanted.Chunk(Persistence.RawSql.SqlServerSql.MaxNotificationsPerClaim))
            {
                object[] parameters =
                [
                    new Microsoft.Data.SqlClient.SqlParameter("@owner", owner),
                    new Microsoft.Data.SqlClient.SqlParameter("@until", untilTicks),
                    new Microsoft.Data.SqlClient.SqlParameter("@pending", NotificationStatus.Pending),
                    new Microsoft.Data.SqlClient.SqlParameter("@now", nowTicks),
                    .. chunk.Select((id, i) => new Microsoft.Data.SqlClient.SqlParameter($"@d{i}", id)),
                ];
                await db.Database.ExecuteSqlRawAsync(Persistence.RawSql.SqlServerSql.ClaimNotificationLeases(chunk.Length), parameters, ct);
            }
            return;
        }
        await db.Notifications
            .Where(n => wanted.Contains(n.DeliveryId) && n.Status == NotificationStatus.Pending && (n.LeaseOwner == null || n.LeaseExpiresTicks <= nowTicks))
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.LeaseOwner, owner).SetProperty(n => n.LeaseExpiresTicks, untilTicks), ct);
    }

    public async Task<bool> MarkAsync(string owner, string deliveryId, string status, int attempts, DateTimeOffset? nextAttempt, string? error, DateTimeOffset now, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        var next = nextAttempt?.UtcTicks ?? 0;
        long? delivered = status == NotificationStatus.Delivered ? now.UtcTicks : null;
        var changed = await db.Notifications.Where(n => n.DeliveryId == deliveryId && n.LeaseOwner == owner).ExecuteUpdateAsync(u => u
            .SetProperty(n => n.Status, status)
            .SetProperty(n => n.Attempts, attempts)
            .SetProperty(n => n.NextAttemptTicks, next)
            .SetProperty(n => n.LastError, error)
            .SetProperty(n => n.DeliveredTicks, delivered)
            .SetProperty(n => n.LeaseOwner, (string?)null)
            .SetProperty(n => n.LeaseExpiresTicks, 0L), ct);
        if (changed == 1) Telemetry.GatewayMetrics.RecordNotification(deliveryId, status, error);
        return changed == 1;
    }

    public async Task ReleaseAsync(string owner, IReadOnlyCollection<string>? deliveryIds, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        var ours = db.Notifications.Where(n => n.LeaseOwner == owner);
        if (deliveryIds is not null)
        {
            ours = ours.Where(n => deliveryIds.Contains(n.DeliveryId));
        }
        await ours.ExecuteUpdateAsync(u => u.SetProperty(n => n.LeaseOwner, (string?)null).SetProperty(n => n.LeaseExpiresTicks, 0L), ct);
    }

    public async Task<IReadOnlyList<NotificationSummary>> ListAsync(string status, int max, CancellationToken ct) =>
        (await InOrder(db.Notifications.AsNoTracking().Where(n => n.Status == status)).Take(max).ToListAsync(ct)).Select(ToSummary).ToList();

    public async Task<IReadOnlyList<NotificationSummary>> RedriveAsync(string? deliveryId, DateTimeOffset now, Func<IReadOnlyList<NotificationSummary>, AuditRecord> audit, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var dead = await InOrder(db.Notifications.AsNoTracking()
            .Where(n => n.Status == NotificationStatus.Dead && (deliveryId == null || n.DeliveryId == deliveryId)))
            .ToListAsync(ct);
        if (dead.Count == 0)
        {
            return [];
        }
        var ids = dead.Select(n => n.DeliveryId).ToList();
        var ticks = now.UtcTicks;
        // Back in the queue at its original place (CreatedTicks is kept), due now, with a fresh window.
        await db.Notifications.Where(n => ids.Contains(n.DeliveryId) && n.Status == NotificationStatus.Dead).ExecuteUpdateAsync(u => u
            .SetProperty(n => n.Status, NotificationStatus.Pending)
            .SetProperty(n => n.Attempts, 0)
            .SetProperty(n => n.NextAttemptTicks, ticks)
            .SetProperty(n => n.WindowStartTicks, ticks)
            .SetProperty(n => n.LeaseOwner, (string?)null)
            .SetProperty(n => n.LeaseExpiresTicks, 0L), ct);
        var redriven = dead.Select(ToSummary).Select(s => s with { Status = NotificationStatus.Pending, Attempts = 0, NextAttempt = now }).ToList();
        await AuditAppender.AppendAsync(db, [audit(redriven)], ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return redriven;
    }

    /// <summary>The delivery order: oldest first, the delivery id breaking ties (ADR 0014).</summary>
    private static IOrderedQueryable<NotificationRow> InOrder(IQueryable<NotificationRow> rows) =>
        rows.OrderBy(n => n.CreatedTicks).ThenBy(n => n.DeliveryId);

    private static PendingNotification ToPending(NotificationRow n, string endpoint) =>
        new(n.DeliveryId, n.SubscriptionId, n.PartnerId, new Uri(endpoint), n.TaskId, n.ReferralKey, n.EventNumber, n.Attempts,
            n.TaskLabels.Length == 0 ? [] : n.TaskLabels.Split(' '), new DateTimeOffset(n.WindowStartTicks, TimeSpan.Zero));

    private static NotificationSummary ToSummary(NotificationRow n) =>
        new(n.DeliveryId, n.SubscriptionId, n.PartnerId, n.TaskId, n.EventNumber, n.Status, n.Attempts, new DateTimeOffset(n.CreatedTicks, TimeSpan.Zero),
            n.Status == NotificationStatus.Pending ? new DateTimeOffset(n.NextAttemptTicks, TimeSpan.Zero) : null,
            n.LeaseOwner, n.LastError);
}
