namespace ReferralExchange.Core.Notifications;

/// <summary>A partner's rest-hook subscription.</summary>
public sealed record StoredSubscription(string Id, string PartnerId, SubscriptionFilter Filter, Uri Endpoint, string Status, DateTimeOffset Created);

/// <summary>One notification in the transactional outbox: a delivery the receiver can de-duplicate on by its id.</summary>
public sealed record PendingNotification(string DeliveryId, string SubscriptionId, string PartnerId, Uri Endpoint, string TaskId, string ReferralKey,
    long EventNumber, int Attempts, IReadOnlyList<string> TaskLabels);

public static class NotificationStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";
    /// <summary>Not sent: consent no longer permits the recipient.</summary>
    public const string Suppressed = "suppressed";
}
