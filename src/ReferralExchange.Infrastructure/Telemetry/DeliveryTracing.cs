using System.Diagnostics;
using ReferralExchange.Core.Notifications;
using Tags = ReferralExchange.Infrastructure.Telemetry.GatewayTelemetry.Tags;

namespace ReferralExchange.Infrastructure.Telemetry;

/// <summary>
/// Deliveries are traces of their own (docs/observability.md): they happen seconds or hours after
/// the write that queued them, possibly on another replica. A claimed run (one subscription's
/// notifications in order, ADR 0014) is the root span <c>rx.notification.run</c>; each attempt is an
/// <c>rx.notification.deliver</c> span under it carrying its <c>rx.delivery_id</c>, the id the
/// write's <c>rx.outbox.enqueued</c> event listed; the outbound POST is the attempt's child. What
/// the store then records (delivered, rescheduled, dead, suppressed) is an event on the run.
/// </summary>
public static class DeliveryTracing
{
    public static Activity? StartRun(NotificationRun run)
    {
        if (!GatewayTelemetry.Source.HasListeners())
        {
            return null;
        }
        // A root, whatever the dispatcher's context happens to hold.
        Activity.Current = null;
        var span = GatewayTelemetry.Source.StartActivity(GatewayTelemetry.Spans.Run, ActivityKind.Internal, default(ActivityContext));
        span?.SetTag(Tags.Partner, run.Notifications.FirstOrDefault()?.PartnerId);
        span?.SetTag(Tags.Notifications, run.Notifications.Count);
        span?.SetTag(Tags.DeliveryIds, run.Notifications.Select(n => n.DeliveryId).ToArray());
        return span;
    }

    public static Activity? StartAttempt(string deliveryId)
    {
        var span = GatewayTelemetry.Source.StartActivity(GatewayTelemetry.Spans.Deliver);
        span?.SetTag(Tags.DeliveryId, deliveryId);
        return span;
    }

    public static void Ended(Activity? span, SendOutcome outcome)
    {
        span?.SetTag(Tags.NotificationOutcome, outcome switch
        {
            SendOutcome.Delivered => "delivered",
            SendOutcome.Unavailable => "circuit-open",
            _ => "failed",
        });
    }

    /// <summary>The state the store just gave a notification, as an event on the current (run) span.</summary>
    public static void Marked(string deliveryId, string status)
    {
        if (Activity.Current is not { IsAllDataRequested: true } span || span.Source != GatewayTelemetry.Source)
        {
            return;
        }
        span.AddEvent(new ActivityEvent(GatewayTelemetry.Spans.Marked, tags: new ActivityTagsCollection
        {
            [Tags.DeliveryId] = deliveryId,
            [Tags.NotificationOutcome] = status,
        }));
    }
}
