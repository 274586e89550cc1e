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
            }
            catch (JsonException)
            {
                throw GatewayException.BadRequest("The body is not well-formed JSON");
            }
            try
            {
                return Results.Json(await service.ConsultAsync(context.Caller(), request, context.RequestAborted));
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                // A value of the wrong JSON type inside context: the request, not the service, is wrong.
                throw GatewayException.BadRequest("context holds a value of the wrong type", "context");
            }
        });
    }
}
