using Task = System.Threading.Tasks.Task;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Reading;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Fhir.Capabilities;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// read, vread, instance and type history (FHIR R4 http.html#read, #vread, #history). Reads take
/// <c>_summary</c> and <c>_elements</c> (search.html#summary, #elements), applied to what consent let through.
/// </summary>
public static class FhirReadEndpoints
{
    public static void MapFhirReadEndpoints(this RouteGroupBuilder fhir)
    {
        var types = ResourceReader.ReadableTypes;
        fhir.MapMethods("/{type}/_history", FhirEndpoints.GetOrHead, TypeHistoryAsync).Declares(FhirInteraction.On("history-type", types));
        fhir.MapMethods("/{type}/{id}", FhirEndpoints.GetOrHead, ReadAsync).Declares(FhirInteraction.On("read", types));
        fhir.MapMethods("/{type}/{id}/_history", FhirEndpoints.GetOrHead, HistoryAsync).Declares(FhirInteraction.On("history-instance", types));
        fhir.MapMethods("/{type}/{id}/_history/{version}", FhirEndpoints.GetOrHead, VReadAsync).Declares(FhirInteraction.On("vread", types));
    }

    private static async Task ReadAsync(HttpContext context, string type, string id, ResourceReader reader)
    {
        var subset = ResultSubset.FromParameters(SearchRequest.FromQuery(context.Request));
        var disclosed = await reader.ReadAsync(context.Caller(), type, id, context.RequestAborted);
        Part2Notice.AddIf(context, disclosed.Part2);
        await FhirResults.WriteStoredAsync(context, disclosed.Resource, ResourceSubsetter.Apply(disclosed.Resource.Json, subset));
    }

    private static async Task VReadAsync(HttpContext context, string type, string id, string version, ResourceReader reader)
    {
        if (!int.TryParse(version, out var versionId) || versionId < 1)
        {
            throw GatewayException.NotFound(type, $"{id}/_history/{version}");
        }
        var subset = ResultSubset.FromParameters(SearchRequest.FromQuery(context.Request));
        var disclosed = await reader.ReadVersionAsync(context.Caller(), type, id, versionId, context.RequestAborted);
        Part2Notice.AddIf(context, disclosed.Part2);
        await FhirResults.WriteStoredAsync(context, disclosed.Resource, ResourceSubsetter.Apply(disclosed.Resource.Json, subset));
    }

    private static async Task HistoryAsync(HttpContext context, string type, string id, ResourceReader reader)
    {
        var (bundle, part2) = await reader.HistoryAsync(context.Caller(), type, id, SearchRequest.FromQuery(context.Request),
            PreferHeader.StrictHandling(context.Request), FhirResults.BaseUrl(context.Request), context.RequestAborted);
        Part2Notice.AddIf(context, part2);
        await FhirResults.WriteResourceAsync(context, bundle);
    }

    private static async Task TypeHistoryAsync(HttpContext context, string type, TypeHistoryReader reader)
    {
        var (bundle, part2) = await reader.HistoryAsync(context.Caller(), type, SearchRequest.FromQuery(context.Request),
            PreferHeader.StrictHandling(context.Request), FhirResults.BaseUrl(context.Request), context.RequestAborted);
        Part2Notice.AddIf(context, part2);
        await FhirResults.WriteResourceAsync(context, bundle);
    }
}
