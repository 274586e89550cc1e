using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Reading;
using ReferralExchange.Core.Referrals;
using ReferralExchange.Core.Search;
using ReferralExchange.Core.Tasks;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Security;
using FhirTask = Hl7.Fhir.Model.Task;
using ReferralExchange.Gateway.Fhir.Capabilities;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>The FHIR REST API under <c>/fhir</c> (FHIR R4 §3.1.0): thin handlers over the core services.</summary>
public static class FhirEndpoints
{
    public static void MapFhirEndpoints(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir");
        fhir.MapGet("/metadata", MetadataAsync).NotACapability("the CapabilityStatement itself (FHIR R4 §3.1.0.13 capabilities)");
        fhir.MapPost("/", TransactionAsync).Declares(FhirInteraction.System("transaction"));
        fhir.MapGet("/{type}", SearchAsync).Declares(FhirInteraction.Search("Task", TaskSearchParameters.All, TaskSearchParameters.Includes));
        fhir.MapGet("/{type}/{id}", ReadAsync).Declares(FhirInteraction.On("read", ResourceReader.ReadableTypes));
        fhir.MapGet("/{type}/{id}/_history", HistoryAsync).Declares(FhirInteraction.On("history-instance", ResourceReader.ReadableTypes));
        fhir.MapGet("/{type}/{id}/_history/{version}", VReadAsync).Declares(FhirInteraction.On("vread", ResourceReader.ReadableTypes));
        fhir.MapPut("/Task/{id}", UpdateTaskAsync).Declares(FhirInteraction.On("update", "Task"));
        fhir.MapPost("/Consent/{id}/$revoke", RevokeConsentAsync)
            .Declares(FhirInteraction.InstanceOperation("Consent", "revoke", "The referral source or the operator revokes a Consent: status becomes inactive and later disclosures under it stop"));
    }

    private static Task MetadataAsync(HttpContext context, CapabilityStatementProvider capabilities) =>
        FhirResults.WriteResourceAsync(context, capabilities.Current);

    private static async System.Threading.Tasks.Task TransactionAsync(HttpContext context, RequestBodyReader reader, ReferralSubmissionService service)
    {
        var body = await reader.ReadAsync(context.Request, RequestBodyReader.FhirJson, context.RequestAborted);
        var bundle = FhirJson.Parse<Bundle>(body);
        var result = await service.SubmitTransactionAsync(context.Caller(), bundle, context.Request.Headers["If-None-Exist"].ToString(),
            FhirResults.BaseUrl(context.Request), context.RequestAborted);
        await SubmissionResponse.WriteAsync(context, result);
    }

    private static async System.Threading.Tasks.Task SearchAsync(HttpContext context, string type, TaskSearchService search)
    {
        ResourceReader.EnsureKnownType(type);
        if (type != "Task")
        {
            throw new GatewayException(ErrorKind.BadRequest, "not-supported", $"Search is offered on Task only; read {type} resources by id", "type");
        }
        var parameters = context.Request.Query
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty)))
            .ToList();
        var (bundle, part2) = await search.SearchAsync(context.Caller(), parameters, FhirResults.BaseUrl(context.Request), context.RequestAborted);
        Part2Notice.AddIf(context, part2);
        await FhirResults.WriteJsonAsync(context, bundle);
    }

    private static async System.Threading.Tasks.Task ReadAsync(HttpContext context, string type, string id, ResourceReader reader)
    {
        var disclosed = await reader.ReadAsync(context.Caller(), type, id, context.RequestAborted);
        Part2Notice.AddIf(context, disclosed.Part2);
        await FhirResults.WriteStoredAsync(context, disclosed.Resource);
    }

    private static async System.Threading.Tasks.Task VReadAsync(HttpContext context, string type, string id, string version, ResourceReader reader)
    {
        if (!int.TryParse(version, out var versionId) || versionId < 1)
        {
            throw GatewayException.NotFound(type, $"{id}/_history/{version}");
        }
        var disclosed = await reader.ReadVersionAsync(context.Caller(), type, id, versionId, context.RequestAborted);
        Part2Notice.AddIf(context, disclosed.Part2);
        await FhirResults.WriteStoredAsync(context, disclosed.Resource);
    }

    private static async System.Threading.Tasks.Task HistoryAsync(HttpContext context, string type, string id, ResourceReader reader)
    {
        var (bundle, part2) = await reader.HistoryAsync(context.Caller(), type, id, FhirResults.BaseUrl(context.Request), context.RequestAborted);
        Part2Notice.AddIf(context, part2);
        await FhirResults.WriteResourceAsync(context, bundle);
    }

    private static async System.Threading.Tasks.Task RevokeConsentAsync(HttpContext context, string id, ConsentRevocationService revocations)
    {
        var stored = await revocations.RevokeAsync(context.Caller(), id, context.RequestAborted);
        await FhirResults.WriteStoredAsync(context, stored);
    }

    private static async System.Threading.Tasks.Task UpdateTaskAsync(HttpContext context, string id, RequestBodyReader reader, TaskUpdateService updates)
    {
        var body = await reader.ReadAsync(context.Request, RequestBodyReader.FhirJson, context.RequestAborted);
        var task = FhirJson.Parse<FhirTask>(body);
        var stored = await updates.UpdateAsync(context.Caller(), id, IfMatchHeader.Parse(context.Request), task, context.RequestAborted);
        await FhirResults.WriteStoredAsync(context, stored);
    }
}
