using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Gateway.Fhir.Capabilities;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// <c>[base]/.well-known/smart-configuration</c> (SMART App Launch 2.x conformance.html: "FHIR
/// endpoints requiring authorization SHALL serve a JSON document at the location formed by appending
/// /.well-known/smart-configuration to their base URL"), at the FHIR base and, for clients that look
/// there, at the server root. Answered to any registered partner's certificate without a token
/// (<see cref="Security.RequiredScope.IsPublic"/>); always <c>application/json</c>, whatever the Accept header.
/// </summary>
public static class SmartDiscoveryEndpoints
{
    public const string Path = "/.well-known/smart-configuration";

    public static void MapSmartDiscoveryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Document);
        app.MapGet("/fhir" + Path, Document).NotACapability("SMART discovery (SMART App Launch 2.x), named in rest.security instead");
    }

    private static IResult Document(PublicBaseUrl publicBase) => Results.Json(SmartConfiguration.For(publicBase));
}
