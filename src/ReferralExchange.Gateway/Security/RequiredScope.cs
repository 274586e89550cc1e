using Microsoft.AspNetCore.Routing;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Which SMART system scope each API interaction needs, in one table. Null: no scope (the token
/// endpoint, discovery, metadata) or a role check instead (operator endpoints).
/// </summary>
public static class RequiredScope
{
    public static bool IsPublic(string? template) => template is null || template.StartsWith("/connect/", StringComparison.Ordinal)
        || template.StartsWith("/.well-known/", StringComparison.Ordinal) || template == "/fhir" + Endpoints.SmartDiscoveryEndpoints.Path
        || template == "/fhir/metadata" || template == "/cds-services"
        || template == Audit.HealthEndpoints.Live || template == Audit.HealthEndpoints.Ready;

    public static string? For(HttpContext context)
    {
        var template = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var method = context.Request.Method;
        var type = context.Request.RouteValues.TryGetValue("type", out var t) ? t as string : null;
        if (type is not null && !Core.Reading.ResourceReader.ReadableTypes.Contains(type))
        {
            // Not a type we serve: the endpoint answers 404 whatever the token says.
            return null;
        }
        // HEAD is GET without the body (FHIR R4 http.html): it needs what GET needs.
        method = HttpMethods.IsHead(method) ? HttpMethods.Get : method;
        return (method, template) switch
        {
            ("POST", "/referrals") or ("POST", "/fhir/") or ("POST", "/fhir") => "system/ServiceRequest.c",
            ("GET", "/referrals/tracking") => "system/Task.s",
            ("GET", "/fhir/{type}") or ("POST", "/fhir/{type}/_search") => $"system/{type}.s",
            // Type-level history lists every visible version of a type: it reads and it searches.
            ("GET", "/fhir/{type}/_history") => $"system/{type}.rs",
            ("GET", "/fhir/{type}/{id}") or ("GET", "/fhir/{type}/{id}/_history/{version}") or ("GET", "/fhir/{type}/{id}/_history") => $"system/{type}.r",
            ("PUT", "/fhir/Task/{id}") or ("POST", "/fhir/Task/{id}/$claim") => "system/Task.u",
            ("POST", "/fhir/Consent/{id}/$revoke") => "system/Consent.u",
            ("POST", "/fhir/Procedure") => "system/Procedure.c",
            ("POST", "/fhir/Subscription") => "system/Subscription.c",
            ("GET", "/fhir/Subscription/{id}") => "system/Subscription.r",
            ("GET", "/fhir/AuditEvent") => "system/AuditEvent.s",
            ("GET", "/fhir/AuditEvent/{id}") or ("GET", "/fhir/Patient/{id}/$accounting-of-disclosures") or ("GET", "/audit/inclusion") => "system/AuditEvent.r",
            // The checkpoint and consistency proofs are hashes about the whole log, for any partner that witnesses it.
            ("POST", "/cds-services/patient-consent-consult") => "system/Consent.r",
            _ => null,
        };
    }
}
