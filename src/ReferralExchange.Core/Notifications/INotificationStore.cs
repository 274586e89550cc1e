namespace ReferralExchange.Core.Notifications;

/// <summary>
/// Subscriptions and the notification outbox. Notifications are enqueued in the same database
/// transaction as the Task change they announce, so none is lost, and none announces a change
/// that did not happen; they survive a gateway restart.
/// </summary>
public interface INotificationStore
{
    Task<StoredSubscription> AddSubscriptionAsync(StoredSubscription subscription, CancellationToken cancellationToken = default);

    Task<StoredSubscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<PendingNotification>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    Task MarkAsync(string deliveryId, string status, int attempts, DateTimeOffset? nextAttempt, string? error, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<(string DeliveryId, string PartnerId, string TaskId, string Status, int Attempts, string? LastError)>> ListAsync(string status, CancellationToken cancellationToken = default);
}

/// <summary>Sends one notification to a partner's endpoint over outbound mutual TLS.</summary>
public interface INotificationSender
{
    /// <returns>The HTTP status the partner answered; throws <see cref="HttpRequestException"/> or times out when it cannot be reached.</returns>
    Task<int> SendAsync(Uri endpoint, string deliveryId, string payloadJson, CancellationToken cancellationToken = default);
}
