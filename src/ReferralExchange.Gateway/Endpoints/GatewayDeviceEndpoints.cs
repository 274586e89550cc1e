using ReferralExchange.Core.Errors;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Fhir.Capabilities;
using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary><c>GET [base]/Device/{id}</c>: the one Device this server knows, the gateway (<see cref="GatewayDevice"/>).</summary>
public static class GatewayDeviceEndpoints
{
    public static void MapGatewayDeviceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/fhir/Device/{id}", FhirEndpoints.GetOrHead, (HttpContext context, string id, PublicBaseUrl publicBase) => id == Core.Audit.AuditServer.DefaultDeviceId
                ? FhirResults.WriteResourceAsync(context, GatewayDevice.Resource(publicBase))
                : throw GatewayException.NotFound("Device", id))
            .Declares(FhirInteraction.On("read", "Device"));
    }
}
