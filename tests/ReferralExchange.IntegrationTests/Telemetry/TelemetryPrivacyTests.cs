using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenTelemetry.Metrics;

namespace ReferralExchange.IntegrationTests.Telemetry;

/// <summary>
/// Traces and metrics are not the audit trail and hold no PHI (issue 15 §7): not the person's
/// name, birth date, phone, narrative or identifiers, not resource ids, not query values, not the
/// acting person, in no span name, tag, event, link or status and no metric tag. And they are
/// there: the spans from intake to delivery, the metrics an operator charts, trace ids in the logs.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryPrivacyTests(TelemetryGatewayFixture gateway) : IClassFixture<TelemetryGatewayFixture>
{
    [Fact]
    public async Task Spans_AfterSubmissionsReadsSearchesAndFailures_HoldNoPersonDataIdsNorQueryValues()
    {
        await gateway.ScenarioAsync();
        var spans = gateway.Spans.Snapshot();

        Assert.NotEmpty(spans);
        foreach (var span in spans)
        {
            var text = Describe(span);
            foreach (var secret in gateway.Secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"span {span.DisplayName} holds a secret: {text}");
            }
            Assert.Null(span.GetTagItem("url.query"));
            Assert.Null(span.TraceStateString);
        }
        // The path becomes the route template.
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == "/fhir/{type}/{id}");
    }

    [Fact]
    public async Task Trace_OfASubmission_RunsFromIntakeThroughItsCommitToTheOutbox_AndItsDeliveryIsJoinedByDeliveryId()
    {
        await gateway.ScenarioAsync();
        var spans = gateway.Spans.Snapshot();

        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") as string == "/referrals"
            && s.GetTagItem("http.response.status_code") is 201);
        Assert.Equal("POST /referrals", server.DisplayName);
        var submit = Assert.Single(spans, s => s.OperationName == "rx.referral.submit" && s.ParentSpanId == server.SpanId);
        Assert.Equal("created", submit.GetTagItem("rx.outcome"));
        Assert.Equal("psw-metro", submit.GetTagItem("rx.partner_id"));
        var unit = Assert.Single(spans, s => s.OperationName == "rx.commit.unit" && s.ParentSpanId == submit.SpanId);
        var enqueued = Assert.Single(unit.Events, e => e.Name == "rx.outbox.enqueued");
        var deliveryId = Assert.Single((string[])enqueued.Tags.Single(t => t.Key == "rx.delivery_ids").Value!);
        Assert.Contains(spans, s => s.OperationName == "rx.commit.batch" && s.Links.Any(l => l.Context.SpanId == submit.SpanId));

        // The delivery: its own trace, a run of the subscription's notifications with an attempt for this one.
        var delivery = Assert.Single(spans, s => s.OperationName == "rx.notification.deliver" && s.GetTagItem("rx.delivery_id") as string == deliveryId);
        Assert.Equal("delivered", delivery.GetTagItem("rx.notification.outcome"));
        var run = Assert.Single(spans, s => s.OperationName == "rx.notification.run" && s.SpanId == delivery.ParentSpanId);
        Assert.Equal(default, run.ParentSpanId);
        Assert.NotEqual(submit.TraceId, run.TraceId);
        Assert.Contains(run.Events, e => e.Name == "rx.notification.marked"
            && e.Tags.Any(t => t.Key == "rx.delivery_id" && t.Value as string == deliveryId)
            && e.Tags.Any(t => t.Key == "rx.notification.outcome" && t.Value as string == "delivered"));
        var post = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == delivery.SpanId);
        Assert.Equal("POST", post.DisplayName);
        Assert.DoesNotContain("/hook", post.GetTagItem("url.full") as string ?? string.Empty);
    }

    [Fact]
    public async Task Metrics_AfterTheScenario_AreTheOperatorsAndHoldNoPersonData()
    {
        await gateway.ScenarioAsync();
        var metrics = gateway.FlushMetrics();

        foreach (var name in new[] { "rx.referrals.submitted", "rx.consent.decisions", "rx.notifications.delivered", "rx.notifications.retries",
                     "rx.notifications.dead_letters", "rx.audit.checkpoint.pending_records",
                     "rx.audit.checkpoint.age", "http.server.request.duration", "http.client.request.duration" })
        {
            Assert.True(metrics.Any(m => m.Name == name), $"{name} missing; exported: {string.Join(", ", metrics.Select(m => m.Name).Distinct())}");
        }
        var tags = metrics.SelectMany(m => m.MetricPoints.SelectMany(p => Tags(p).Select(t => (m.Name, t.Key, Value: t.Value?.ToString() ?? string.Empty)))).ToList();
        foreach (var (metric, key, value) in tags)
        {
            foreach (var secret in gateway.Secrets)
            {
                Assert.False(value.Contains(secret, StringComparison.OrdinalIgnoreCase) || key.Contains(secret, StringComparison.OrdinalIgnoreCase), $"{metric} tag {key} holds a secret");
            }
            Assert.False(key is "url.path" or "url.query" or "url.full", $"{metric} has a {key} tag");
        }
        Assert.Contains(tags, t => t.Name == "http.server.request.duration" && t.Key == "http.route" && t.Value == "/referrals");
        Assert.Contains(tags, t => t.Name == "rx.referrals.submitted" && t.Key == "rx.outcome" && t.Value == "rejected");
        Assert.Contains(tags, t => t.Name == "rx.consent.decisions" && t.Key == "rx.consent.outcome" && t.Value == "permit");
    }

    [Fact]
    public async Task LogLines_WrittenDuringARequest_CarryItsTraceAndSpanIds()
    {
        await gateway.ScenarioAsync();
        var server = gateway.Spans.Snapshot().First(s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") as string == "/referrals");

        var line = gateway.Logs.Lines.Select(l => JsonNode.Parse(l)!)
            .First(l => l["RouteTemplate"]?.GetValue<string>() == "/referrals" && l["@tr"]?.GetValue<string>() == server.TraceId.ToHexString());
        Assert.Equal(server.SpanId.ToHexString(), line["@sp"]?.GetValue<string>());
    }

    private static string Describe(Activity span) => string.Join('\n', new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? string.Empty }
        .Concat(span.TagObjects.Select(t => $"{t.Key}={Render(t.Value)}"))
        .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={Render(t.Value)}").Append(e.Name)))
        .Concat(span.Links.SelectMany(l => (l.Tags ?? []).Select(t => $"link:{t.Key}={Render(t.Value)}")))
        .Concat(span.Baggage.Select(b => $"baggage:{b.Key}={b.Value}")));

    private static string Render(object? value) => value is System.Collections.IEnumerable many and not string
        ? string.Join(',', many.Cast<object?>())
        : value?.ToString() ?? string.Empty;

    private static IEnumerable<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        foreach (var tag in point.Tags)
        {
            yield return tag;
        }
    }
}
