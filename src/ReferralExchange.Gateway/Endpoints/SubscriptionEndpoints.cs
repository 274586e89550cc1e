using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Notifications;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Security;
using ReferralExchange.Gateway.Fhir.Capabilities;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>Rest-hook subscriptions (the operator's view of the outbox is <see cref="NotificationOperatorEndpoints"/>).</summary>
public static class SubscriptionEndpoints
{
    public static void MapSubscriptionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/fhir/Subscription", async (HttpContext context, RequestBodyReader reader, SubscriptionService subscriptions) =>
        {
            var body = await reader.ReadAsync(context.Request, RequestBodyReader.FhirJson, context.RequestAborted);
            var created = await subscriptions.CreateAsync(context.Caller(), FhirJson.Parse<Subscription>(body), context.RequestAborted);
            context.Response.Headers.Location = $"{FhirResults.BaseUrl(context.Request)}/Subscription/{created.Id}";
            await FhirResults.WriteWrittenAsync(context, created, StatusCodes.Status201Created);
        }).WithBody(BodyKind.Resource).Declares(FhirInteraction.On("create", "Subscription"));
        app.MapMethods("/fhir/Subscription/{id}", FhirEndpoints.GetOrHead, async (HttpContext context, string id, SubscriptionService subscriptions) =>
            await FhirResults.WriteResourceAsync(context, await subscriptions.ReadAsync(context.Caller(), id, context.RequestAborted)))
            .Declares(FhirInteraction.On("read", "Subscription"));
    }
}
