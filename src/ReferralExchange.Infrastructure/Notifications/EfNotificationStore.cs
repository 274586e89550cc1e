using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Notifications;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Notifications;

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

    public async Task<IReadOnlyList<PendingNotification>> DueAsync(DateTimeOffset now, int max, CancellationToken ct)
    {
        var ticks = now.UtcTicks;
        var rows = await (
            from n in db.Notifications.AsNoTracking()
            join s in db.Subscriptions.AsNoTracking() on n.SubscriptionId equals s.Id
            where n.Status == NotificationStatus.Pending && n.NextAttemptTicks <= ticks
            orderby n.CreatedTicks
            select new { n, s.Endpoint })
            .Take(max)
            .ToListAsync(ct);
        return rows.Select(r => new PendingNotification(r.n.DeliveryId, r.n.SubscriptionId, r.n.PartnerId, new Uri(r.Endpoint), r.n.TaskId,
            r.n.ReferralKey, r.n.EventNumber, r.n.Attempts, r.n.TaskLabels.Length == 0 ? [] : r.n.TaskLabels.Split(' '))).ToList();
    }

    public async Task MarkAsync(string deliveryId, string status, int attempts, DateTimeOffset? nextAttempt, string? error, DateTimeOffset now, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        var next = nextAttempt?.UtcTicks ?? 0;
        long? delivered = status == NotificationStatus.Delivered ? now.UtcTicks : null;
        await db.Notifications.Where(n => n.DeliveryId == deliveryId).ExecuteUpdateAsync(u => u
            .SetProperty(n => n.Status, status)
            .SetProperty(n => n.Attempts, attempts)
            .SetProperty(n => n.NextAttemptTicks, next)
            .SetProperty(n => n.LastError, error)
            .SetProperty(n => n.DeliveredTicks, delivered), ct);
        Telemetry.GatewayMetrics.RecordNotification(status, error);
    }

    public async Task<IReadOnlyList<(string DeliveryId, string PartnerId, string TaskId, string Status, int Attempts, string? LastError)>> ListAsync(string status, CancellationToken ct) =>
        (await db.Notifications.AsNoTracking().Where(n => n.Status == status).OrderBy(n => n.CreatedTicks).Take(500).ToListAsync(ct))
            .Select(n => (n.DeliveryId, n.PartnerId, n.TaskId, n.Status, n.Attempts, n.LastError)).ToList();
}
