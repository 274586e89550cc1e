using System.Diagnostics;
using ReferralExchange.Core.Notifications;
using ReferralExchange.Infrastructure.Telemetry;
using Tags = ReferralExchange.Infrastructure.Telemetry.GatewayTelemetry.Tags;

namespace ReferralExchange.Gateway.Telemetry;

/// <summary>
/// One delivery attempt is the root span of a trace of its own (<c>rx.notification.deliver</c>):
/// it happens seconds or hours after the write that queued it, possibly on another replica. It is
/// joined to the write by its delivery id (see OutboxTracing); the outbound POST is its child.
/// </summary>
public static class DeliveryTracing
{
    public static Activity? Start(PendingNotification notification)
    {
        // A root, whatever the dispatcher's context happens to hold.
        Activity.Current = null;
        var span = GatewayTelemetry.Source.StartActivity(GatewayTelemetry.Spans.Deliver, ActivityKind.Internal, default(ActivityContext));
        span?.SetTag(Tags.DeliveryId, notification.DeliveryId);
        span?.SetTag(Tags.Partner, notification.PartnerId);
        span?.SetTag(Tags.Attempt, notification.Attempts + 1);
        return span;
    }
}
