using ReferralExchange.Core.Errors;
using ReferralExchange.Gateway.Audit;
using ReferralExchange.Gateway.Endpoints;
using ReferralExchange.Gateway.Errors;
using ReferralExchange.Gateway.Logging;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>The request pipeline, outermost first: request id, logging, errors, FHIR format negotiation, Host check, partner authentication, endpoints.</summary>
public static class GatewayPipeline
{
    public static WebApplication UseGateway(this WebApplication app)
    {
        // A request on the loopback health listener is answered there and goes no further (off unless configured).
        Health.LocalHealthProbe.UseLocalHealthProbe(app);
        // Routing first, so that logging, errors and audit know the route template of every request.
        app.UseRouting();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<RequestLoggingMiddleware>();
        // Outside the error middleware, so a request over its time is answered there, as an OperationOutcome.
        app.UseRequestTimeouts();
        app.UseMiddleware<OperationOutcomeMiddleware>();
        app.UseMiddleware<Fhir.FormatNegotiationMiddleware>();
        app.UseMiddleware<HostHeaderMiddleware>();
        app.UseMiddleware<PartnerAuthenticationMiddleware>();
        // No default scheme (ADR 0027): OpenIddict's request handlers (its server at its own endpoints,
        // its validation's set-up elsewhere), authenticating nothing unasked.
        app.UseOpenIddictRequestHandling();
        app.UseAuthorization();
        app.UseMiddleware<AccessTokenMiddleware>();
        app.UseMiddleware<Audit.UntrustedTrailWriteRefusal>();

        app.MapReferralEndpoints();
        app.MapTokenEndpoint();
        app.MapSmartDiscoveryEndpoints();
        app.MapGatewayDeviceEndpoints();
        app.MapAuditEndpoints();
        app.MapAuditLogEndpoints();
        app.MapConsentDecisionEndpoints();
        app.MapWorkflowEndpoints();
        app.MapSubscriptionEndpoints();
        app.MapHealthEndpoints();
        app.MapNotificationOperatorEndpoints();
        app.MapFhirEndpoints();
        app.MapFallback(() =>
        {
            throw new GatewayException(ErrorKind.NotFound, "not-supported", "No such endpoint");
        });
        return app;
    }
}
