using System.Diagnostics;
using ReferralExchange.Infrastructure.Telemetry;

namespace ReferralExchange.Gateway.Telemetry;

/// <summary>
/// The last stop before any exporter: spans leave with nothing that could identify a person
/// (issue 15 §7, docs/observability.md "PHI rules"). Request paths carry resource ids and query
/// strings carry identifiers and names (<c>?patient=…</c>, <c>?identifier=…</c>), so:
/// <list type="bullet">
/// <item>HTTP spans keep only allow-listed tags; <c>url.path</c> becomes the route template and
/// <c>url.query</c> is dropped; an outgoing call's <c>url.full</c> keeps its origin only.</item>
/// <item>Span names are the method and route template, never the raw path.</item>
/// <item>Status descriptions (exception messages may quote the body) and the caller's
/// <c>tracestate</c> (free text from outside) are cleared.</item>
/// </list>
/// Spans from our own source carry only tags we wrote (partner ids, outcomes, counts, delivery ids)
/// and are left as they are. A library added later (a database driver) gets the allow-list too:
/// extend it consciously, never by default.
/// </summary>
public sealed class PhiScrubbingProcessor : OpenTelemetry.BaseProcessor<Activity>
{
    public const string Unmatched = "(unmatched)";

    private static readonly HashSet<string> Allowed =
    [
        "http.request.method", "http.request.method_original", "http.response.status_code", "http.route",
        "http.request.resend_count", "url.scheme", "url.path", "url.full", "server.address", "server.port",
        "network.protocol.name", "network.protocol.version", "error.type",
    ];

    public override void OnEnd(Activity activity)
    {
        activity.TraceStateString = null;
        if (activity.Status == ActivityStatusCode.Error && activity.StatusDescription is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
        if (activity.Source.Name == GatewayTelemetry.Name)
        {
            return;
        }

        var route = activity.GetTagItem("http.route") as string;
        foreach (var key in activity.TagObjects.Select(t => t.Key).Where(k => !Allowed.Contains(k) && !k.StartsWith("rx.", StringComparison.Ordinal)).ToList())
        {
            activity.SetTag(key, null);
        }
        var method = activity.GetTagItem("http.request.method") as string;
        if (activity.Kind == ActivityKind.Server)
        {
            if (activity.GetTagItem("url.path") is not null)
            {
                activity.SetTag("url.path", route ?? Unmatched);
            }
            activity.DisplayName = route is null ? method ?? "HTTP" : $"{method} {route}";
        }
        else if (activity.Kind == ActivityKind.Client)
        {
            if (activity.GetTagItem("url.full") is string full)
            {
                activity.SetTag("url.full", Uri.TryCreate(full, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null);
            }
            activity.DisplayName = method ?? "HTTP";
        }
        else
        {
            activity.SetTag("url.path", null);
            activity.SetTag("url.full", null);
        }
    }
}
