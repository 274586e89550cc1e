using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ReferralExchange.Infrastructure.Telemetry;

/// <summary>
/// The gateway's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <c>ReferralExchange</c> (docs/observability.md). They are BCL types: with no listener attached
/// (telemetry off, the default) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and counters are no-ops, so instrumented code pays next to nothing.
/// PHI rule: nothing recorded here names a person, a patient, a resource id or a request value;
/// tags carry partner ids (organisations), outcomes, counts and the gateway's own delivery ids.
/// </summary>
public static class GatewayTelemetry
{
    public const string Name = "ReferralExchange";

    public static readonly ActivitySource Source = new(Name, typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Tag and span names, in one place so the docs and the PHI test can list them.</summary>
    public static class Tags
    {
        public const string Partner = "rx.partner_id";
        public const string Format = "rx.submission.format";
        public const string Outcome = "rx.outcome";
        public const string Rejection = "rx.rejection";
        public const string ConsentOutcome = "rx.consent.outcome";
        public const string DeliveryId = "rx.delivery_id";
        public const string DeliveryIds = "rx.delivery_ids";
        public const string Attempt = "rx.notification.attempt";
        public const string NotificationOutcome = "rx.notification.outcome";
        public const string Units = "rx.commit.units";
        public const string Notifications = "rx.outbox.notifications";
    }

    public static class Spans
    {
        public const string Submit = "rx.referral.submit";
        public const string CommitBatch = "rx.commit.batch";
        public const string CommitUnit = "rx.commit.unit";
        public const string OutboxEnqueued = "rx.outbox.enqueued";
        public const string Run = "rx.notification.run";
        public const string Deliver = "rx.notification.deliver";
        public const string Marked = "rx.notification.marked";
    }
}
