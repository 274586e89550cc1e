using System.Diagnostics;

namespace ReferralExchange.Infrastructure.Telemetry;

/// <summary>
/// The join between a write's trace and the deliveries it causes (docs/observability.md, "Traces").
/// A delivery runs later, in the dispatcher, as a trace of its own; the write's span gets an
/// <c>rx.outbox.enqueued</c> event listing the delivery ids it put in the outbox, and each delivery's
/// root span carries its <c>rx.delivery_id</c>. Delivery ids are random (UUIDv7) and already sent to
/// partners as <c>X-Delivery-Id</c>: they name no person and no resource.
/// </summary>
public static class OutboxTracing
{
    public static void Enqueued(IReadOnlyCollection<string> deliveryIds)
    {
        if (deliveryIds.Count == 0 || Activity.Current is not { IsAllDataRequested: true } span)
        {
            return;
        }
        span.AddEvent(new ActivityEvent(GatewayTelemetry.Spans.OutboxEnqueued, tags: new ActivityTagsCollection
        {
            [GatewayTelemetry.Tags.Notifications] = deliveryIds.Count,
            [GatewayTelemetry.Tags.DeliveryIds] = deliveryIds.ToArray(),
        }));
    }
}
