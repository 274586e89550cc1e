using System.Diagnostics.Metrics;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Notifications;

namespace ReferralExchange.Infrastructure.Telemetry;

/// <summary>
/// The counters an operator charts (issue 15 §7). Every tag value comes from a small closed set
/// (outcomes, formats, error kinds), never from a request: bounded cardinality, no PHI.
/// </summary>
public static class GatewayMetrics
{
    public static readonly Counter<long> ReferralsSubmitted = GatewayTelemetry.Meter.CreateCounter<long>(
        "rx.referrals.submitted", "{referral}", "Referral submissions by format (native, transaction) and outcome (created, replayed, rejected, failed)");

    public static readonly Counter<long> ConsentDecisions = GatewayTelemetry.Meter.CreateCounter<long>(
        "rx.consent.decisions", "{decision}", "Audited consent decisions by outcome (permit, deny, no-consent)");

    public static readonly Counter<long> NotificationsDelivered = GatewayTelemetry.Meter.CreateCounter<long>(
        "rx.notifications.delivered", "{notification}", "Notifications the partner's endpoint acknowledged with a 2xx");

    public static readonly Counter<long> NotificationRetries = GatewayTelemetry.Meter.CreateCounter<long>(
        "rx.notifications.retries", "{attempt}", "Failed delivery attempts that were scheduled again");

    public static readonly Counter<long> NotificationDeadLetters = GatewayTelemetry.Meter.CreateCounter<long>(
        "rx.notifications.dead_letters", "{notification}", "Notifications that ran out of attempts (dead letters, for the operator to re-drive)");

    public static readonly Counter<long> NotificationsSuppressed = GatewayTelemetry.Meter.CreateCounter<long>(
        "rx.notifications.suppressed", "{notification}", "Notifications not sent: consent, partnership or endpoint registration no longer permits the recipient");

    /// <summary>Counts the consent decisions among audit records just made durable.</summary>
    /// <remarks>
    /// Counted from the trail rather than inside the (pure) decision engine: the engine also runs
    /// for the access index, where a decision is not a disclosure. The outcome is the LEAP code the
    /// record's detail starts with (ConsentGate, ConsentConsultService).
    /// </remarks>
    public static void RecordDurable(IReadOnlyList<AuditRecord> records)
    {
        if (!ConsentDecisions.Enabled)
        {
            return;
        }
        foreach (var record in records)
        {
            if (record.Action != AuditActions.ConsentDecision)
            {
                continue;
            }
            var detail = record.Detail ?? string.Empty;
            var outcome = detail.StartsWith("CONSENT_PERMIT", StringComparison.Ordinal) ? "permit"
                : detail.StartsWith("CONSENT_DENY", StringComparison.Ordinal) ? "deny"
                : detail.StartsWith("NO_CONSENT", StringComparison.Ordinal) ? "no-consent"
                : "other";
            ConsentDecisions.Add(1, new KeyValuePair<string, object?>(GatewayTelemetry.Tags.ConsentOutcome, outcome));
        }
    }

    /// <summary>Counts a notification's new state and records it on the delivery run's span.</summary>
    public static void RecordNotification(string deliveryId, string status, string? error)
    {
        var counter = status switch
        {
            NotificationStatus.Delivered => NotificationsDelivered,
            NotificationStatus.Dead => NotificationDeadLetters,
            NotificationStatus.Suppressed => NotificationsSuppressed,
            // Pending with an error is a failed attempt (or one the open circuit held back) put back on the schedule.
            NotificationStatus.Pending when error is not null => NotificationRetries,
            _ => null,
        };
        counter?.Add(1);
        DeliveryTracing.Marked(deliveryId, status);
    }
}
