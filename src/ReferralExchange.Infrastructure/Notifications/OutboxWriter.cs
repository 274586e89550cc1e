using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Infrastructure.Notifications;

/// <summary>
/// Enqueues a notification for every active subscription a Task change matches, inside the
/// caller's open transaction: the change and its notifications commit or fail together.
/// </summary>
internal static class OutboxWriter
{
    public static async Task EnqueueAsync(GatewayDbContext db, FhirTask task, string referralKey, string labels, long ticks, CancellationToken ct)
    {
        var owner = IdOf(task.Owner?.Reference);
        var requester = IdOf(task.Requester?.Reference);
        var status = Hl7.Fhir.Utility.EnumUtility.GetLiteral(task.Status) ?? "draft";
        var subscriptions = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Status == "active" && ((owner != null && s.OwnerId == owner) || (requester != null && s.RequesterId == requester)))
            .ToListAsync(ct);
        foreach (var subscription in subscriptions.Where(s => s.Statuses.Length == 0 || s.Statuses.Split(',').Contains(status)))
        {
            db.Notifications.Add(new NotificationRow
            {
                DeliveryId = Guid.CreateVersion7().ToString(),
                EventNumber = ticks,
                SubscriptionId = subscription.Id,
                PartnerId = subscription.PartnerId,
                TaskId = task.Id ?? throw new InvalidOperationException("A Task is stored before its notification is written"),
                ReferralKey = referralKey,
                TaskLabels = labels,
                Status = "pending",
                NextAttemptTicks = ticks,
                CreatedTicks = ticks,
                WindowStartTicks = ticks,
            });
        }
    }

    private static string? IdOf(string? reference) => reference is null ? null : reference[(reference.IndexOf('/') + 1)..];
}
