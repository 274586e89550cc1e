using System.Text.Json;
using System.Text.Json.Nodes;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>CDS Hooks discovery and the <c>patient-consent-consult</c> service (LEAP Consent Decision Service shape).</summary>
public static class ConsentDecisionEndpoints
{
    public static void MapConsentDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cds-services", () => Results.Json(ConsentConsultService.Discovery()));
        app.MapPost($"/cds-services/{ConsentConsultService.HookId}", async (HttpContext context, RequestBodyReader reader, ConsentConsultService service) =>
        {
            var body = await reader.ReadAsync(context.Request, RequestBodyReader.PlainJson, context.RequestAborted);
            JsonObject request;
            try
            {
                request = JsonNode.Parse(body) as JsonObject ?? throw GatewayException.BadRequest("The body must be a CDS Hooks request object");
                // Materialise now: duplicate keys and wrongly typed values surface here, as the client's error.
                _ = request.ToJsonString();
                CdsRequestShape.Check(request);
            }
            catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
            {
                throw GatewayException.BadRequest("The body is not a well-formed CDS Hooks request", "context");
            }
            return Results.Json(await service.ConsultAsync(context.Caller(), request, context.RequestAborted));
        });
    }
}
