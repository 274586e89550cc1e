using Microsoft.AspNetCore.Routing;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Partners;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Errors;

/// <summary>
/// Builds the audit record of a refused or failed request (IHE BALP: failures are audited like
/// successes, with their outcome). The attempted action and target come from the matched route.
/// </summary>
public static class FailureAudit
{
    public static AuditRecord For(HttpContext context, int status, string detail, DateTimeOffset now)
    {
        var partner = context.Items["ReferralExchange.Partner"] as Partner;
        var route = context.GetEndpoint() as RouteEndpoint;
        var values = context.Request.RouteValues;
        var target = values.TryGetValue("type", out var type) && values.TryGetValue("id", out var id) ? $"{type}/{id}"
            : route?.RoutePattern.RawText?.Contains("/Task/{id}") == true && values.TryGetValue("id", out var taskId) ? $"Task/{taskId}"
            : null;
        return new AuditRecord
        {
            Action = ActionOf(context.Request.Method, route?.RoutePattern.RawText, status),
            Outcome = status >= 500 ? AuditOutcome.SeriousFailure : AuditOutcome.MinorFailure,
            Recorded = now,
            PartnerId = partner?.Id ?? "(unauthenticated)",
            CertificateThumbprint = CallerContext.ThumbprintOf(context),
            SourceAddress = context.Connection.RemoteIpAddress?.ToString(),
            RequestId = context.TraceIdentifier,
            Resources = target is null ? [] : [new AuditedResource(target, [])],
            Detail = $"{status} {detail}",
        };
    }

    private static string ActionOf(string method, string? template, int status) => (method, template) switch
    {
        _ when status is 401 or 403 => AuditActions.Refused,
        ("POST", "/referrals") => AuditActions.Create,
        ("POST", "/fhir/") or ("POST", "/fhir") => AuditActions.Transaction,
        ("PUT", _) => AuditActions.Update,
        ("GET", "/fhir/{type}") => AuditActions.Search,
        ("GET", "/fhir/{type}/{id}") => AuditActions.Read,
        ("GET", "/fhir/{type}/{id}/_history/{version}") => AuditActions.VRead,
        ("GET", "/fhir/{type}/{id}/_history") => AuditActions.History,
        _ => AuditActions.Refused,
    };
}
