using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Referrals;
using ReferralExchange.Core.Tasks;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Security;
using FhirTask = Hl7.Fhir.Model.Task;
using ReferralExchange.Gateway.Fhir.Capabilities;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// The FHIR REST API under <c>/fhir</c> (FHIR R4 http.html): thin handlers over the core services.
/// Reads and searches answer GET and HEAD (http.html: HEAD as GET without the body).
/// </summary>
public static class FhirEndpoints
{
    internal static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static void MapFhirEndpoints(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir");
        fhir.MapMethods("/metadata", GetOrHead, MetadataAsync).NotACapability("the CapabilityStatement itself (FHIR R4 §3.1.0.13 capabilities)");
        fhir.MapPost("/", TransactionAsync).WithBody(BodyKind.Submission).Declares(FhirInteraction.System("transaction"));
        fhir.MapFhirSearchEndpoints();
        fhir.MapFhirReadEndpoints();
        fhir.MapPut("/Task/{id}", UpdateTaskAsync).WithBody(BodyKind.Resource).Declares(FhirInteraction.On("update", "Task"));
        fhir.MapPost("/Consent/{id}/$revoke", RevokeConsentAsync)
            .Declares(FhirInteraction.InstanceOperation("Consent", "revoke", "The referral source or the operator revokes a Consent: status becomes inactive and later disclosures under it stop"));
    }

    private static Task MetadataAsync(HttpContext context, CapabilityStatementProvider capabilities) =>
        FhirResults.WriteResourceAsync(context, capabilities.Current);

    private static async Task TransactionAsync(HttpContext context, RequestBodyReader reader, ReferralSubmissionService service)
    {
        var result = await Telemetry.SubmissionTelemetry.TrackAsync(context, "transaction", async () =>
        {
            var body = await reader.ReadJsonAsync(context.Request, context.RequestAborted);
            var bundle = FhirJson.Parse<Bundle>(body);
            return await service.SubmitTransactionAsync(context.Caller(), bundle, context.Request.Headers["If-None-Exist"].ToString(),
                FhirResults.BaseUrl(context.Request), context.RequestAborted);
        });
        await SubmissionResponse.WriteAsync(context, result);
    }

    private static async Task RevokeConsentAsync(HttpContext context, string id, ConsentRevocationService revocations)
    {
        var stored = await revocations.RevokeAsync(context.Caller(), id, context.RequestAborted);
        await FhirResults.WriteStoredAsync(context, stored);
    }

    private static async Task UpdateTaskAsync(HttpContext context, string id, RequestBodyReader reader, TaskUpdateService updates)
    {
        var body = await reader.ReadJsonAsync(context.Request, context.RequestAborted);
        var task = FhirJson.Parse<FhirTask>(body);
        var stored = await updates.UpdateAsync(context.Caller(), id, IfMatchHeader.Parse(context.Request), task, context.RequestAborted);
        await FhirResults.WriteWrittenAsync(context, stored, StatusCodes.Status200OK);
    }
}
