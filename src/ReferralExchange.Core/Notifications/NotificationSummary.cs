namespace ReferralExchange.Core.Notifications;

/// <summary>An outbox row as the operator sees it (no person data: ids, counts and the last error).</summary>
public sealed record NotificationSummary(string DeliveryId, string SubscriptionId, string PartnerId, string TaskId, long EventNumber, string Status,
    int Attempts, DateTimeOffset Created, DateTimeOffset? NextAttempt, string? LeaseOwner, string? LastError);
