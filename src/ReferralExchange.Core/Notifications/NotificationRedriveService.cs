using ReferralExchange.Core.Audit;

namespace ReferralExchange.Core.Notifications;

/// <summary>
/// The operator sends dead letters again (after the partner's outage outlasted the retry window):
/// each goes back to pending with a fresh window, in its original place in its subscription's order.
/// The re-drive is a change made by the operator and is audited with it, in one transaction.
/// </summary>
public sealed class NotificationRedriveService(INotificationStore store, NotificationClock clock)
{
    /// <param name="actor">Who re-drives (the operator's request, or the operator tool), as the audit record starts.</param>
    /// <param name="deliveryId">One dead letter; null: all of them.</param>
    public Task<IReadOnlyList<NotificationSummary>> RedriveAsync(AuditRecord actor, string? deliveryId, CancellationToken ct) =>
        store.RedriveAsync(deliveryId, clock.Now, redriven => actor with
        {
            Action = AuditActions.Update,
            Outcome = AuditOutcome.Success,
            Resources = redriven.Select(r => $"Task/{r.TaskId}").Distinct().Select(reference => new AuditedResource(reference, [])).ToList(),
            Detail = Detail(redriven),
        }, ct);

    /// <summary>The delivery ids re-driven, the first 20 of them by name: a re-drive of thousands must not make one enormous record.</summary>
    private static string Detail(IReadOnlyList<NotificationSummary> redriven) =>
        $"re-drove {redriven.Count} dead-letter notification(s): {string.Join(' ', redriven.Take(20).Select(r => r.DeliveryId))}"
        + (redriven.Count > 20 ? $" and {redriven.Count - 20} more" : string.Empty);
}
