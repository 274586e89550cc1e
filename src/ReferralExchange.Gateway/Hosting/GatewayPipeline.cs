using ReferralExchange.Core.Errors;
using ReferralExchange.Gateway.Endpoints;
using ReferralExchange.Gateway.Errors;
using ReferralExchange.Gateway.Logging;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>The request pipeline, outermost first: request id, logging, errors, partner authentication, endpoints.</summary>
public static class GatewayPipeline
{
    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<OperationOutcomeMiddleware>();
        app.UseMiddleware<PartnerAuthenticationMiddleware>();
        app.UseRouting();

        app.MapReferralEndpoints();
        app.MapFhirEndpoints();
        app.MapFallback(() =>
        {
            throw new GatewayException(ErrorKind.NotFound, "not-supported", "No such endpoint");
        });
        return app;
    }
}
