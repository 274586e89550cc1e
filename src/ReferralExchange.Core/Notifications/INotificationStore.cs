namespace ReferralExchange.Core.Notifications;

/// <summary>
/// Subscriptions and the notification outbox. Notifications are enqueued in the same database
/// transaction as the Task change they announce, so none is lost, and none announces a change
/// that did not happen; they survive a gateway restart. Rows are leased to one process at a time
/// (ADR 0014), so several gateway processes on one database deliver each one once.
/// </summary>
public interface INotificationStore
{
    Task<StoredSubscription> AddSubscriptionAsync(StoredSubscription subscription, CancellationToken cancellationToken = default);

    Task<StoredSubscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases, to <paramref name="owner"/> until <paramref name="leaseUntil"/>, a run for each of up to
    /// <paramref name="maxRuns"/> subscriptions whose oldest pending notification is due and free: that
    /// notification and up to <paramref name="runLength"/> − 1 behind it, oldest first. Only unbroken
    /// prefixes are returned, so no notification is handed out while an older one of its subscription is
    /// pending elsewhere.
    /// </summary>
    Task<IReadOnlyList<NotificationRun>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int maxRuns, int runLength,
        CancellationToken cancellationToken = default);

    /// <summary>Records an attempt's result and ends the lease, if <paramref name="owner"/> still holds it; false when another process took it over.</summary>
    Task<bool> MarkAsync(string owner, string deliveryId, string status, int attempts, DateTimeOffset? nextAttempt, string? error, DateTimeOffset now,
        CancellationToken cancellationToken = default);

    /// <summary>Gives back leases without an attempt (the rest of a stopped run; every lease when the process stops if <paramref name="deliveryIds"/> is null).</summary>
    Task ReleaseAsync(string owner, IReadOnlyCollection<string>? deliveryIds, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<NotificationSummary>> ListAsync(string status, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts dead letters (one, or all when <paramref name="deliveryId"/> is null) back to pending with a
    /// fresh retry window, due now, appending <paramref name="audit"/>'s record in the same transaction.
    /// </summary>
    Task<IReadOnlyList<NotificationSummary>> RedriveAsync(string? deliveryId, DateTimeOffset now, Func<IReadOnlyList<NotificationSummary>, Audit.AuditRecord> audit,
        CancellationToken cancellationToken = default);
}
