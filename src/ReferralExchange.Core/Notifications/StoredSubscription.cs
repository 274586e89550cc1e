namespace ReferralExchange.Core.Notifications;

/// <summary>A partner's rest-hook subscription.</summary>
public sealed record StoredSubscription(string Id, string PartnerId, SubscriptionFilter Filter, Uri Endpoint, string Status, DateTimeOffset Created);

/// <summary>One notification in the transactional outbox: a delivery the receiver can de-duplicate on by its id.</summary>
/// <param name="WindowStart">When its retry window opened: when it was written, or re-driven.</param>
public sealed record PendingNotification(string DeliveryId, string SubscriptionId, string PartnerId, Uri Endpoint, string TaskId, string ReferralKey,
    long EventNumber, int Attempts, IReadOnlyList<string> TaskLabels, DateTimeOffset WindowStart);

/// <summary>
/// A subscription's oldest pending notifications, leased to this process until <paramref name="LeaseUntil"/>:
/// they go out one after another, oldest first, and the run stops at the first one that fails, so a
/// receiver never sees a later event before an earlier one that is still being retried.
/// </summary>
public sealed record NotificationRun(string SubscriptionId, DateTimeOffset LeaseUntil, IReadOnlyList<PendingNotification> Notifications);

public static class NotificationStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";
    /// <summary>Not sent: consent no longer permits the recipient.</summary>
    public const string Suppressed = "suppressed";
}
