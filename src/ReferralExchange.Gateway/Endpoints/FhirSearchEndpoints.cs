using Task = System.Threading.Tasks.Task;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Reading;
using ReferralExchange.Core.Search;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Fhir.Capabilities;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// Search (FHIR R4 http.html#search, search.html): <c>GET [type]?…</c> and <c>POST [type]/_search</c>
/// with a form-encoded body, the same search either way. Task has its own parameters; ServiceRequest,
/// Patient, Consent and Procedure are searched among the referrals the caller takes part in.
/// </summary>
public static class FhirSearchEndpoints
{
    public static void MapFhirSearchEndpoints(this RouteGroupBuilder fhir)
    {
        fhir.MapMethods("/{type}", FhirEndpoints.GetOrHead, (HttpContext context, string type) =>
            SearchAsync(context, type, SearchRequest.FromQuery(context.Request))).Declares(Searches);
        // The same search with its parameters in a form body (http.html#search: both must be supported).
        fhir.MapPost("/{type}/_search", async (HttpContext context, string type) =>
            await SearchAsync(context, type, await SearchRequest.FromQueryAndFormAsync(context.Request, context.RequestAborted))).Declares(Searches);
    }

    /// <summary>What both routes search: Task with its own parameters, the other four with the common ones.</summary>
    private static readonly FhirInteraction[] Searches =
    [
        FhirInteraction.Search("Task", TaskSearchParameters.All, TaskSearchParameters.Includes, TaskSearchParameters.RevIncludes),
        .. ResourceSearchParser.SearchableTypes.Select(type =>
            FhirInteraction.Search(type, ResourceSearchParameters.All, revIncludes: ResourceSearchParameters.RevIncludesOf(type))),
    ];

    private static async Task SearchAsync(HttpContext context, string type, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var services = context.RequestServices;
        ResourceReader.EnsureKnownType(type);
        var strict = PreferHeader.StrictHandling(context.Request);
        var baseUrl = FhirResults.BaseUrl(context.Request);
        var (bundle, part2) = type switch
        {
            "Task" => await services.GetRequiredService<TaskSearchService>().SearchAsync(context.Caller(), parameters, strict, baseUrl, context.RequestAborted),
            _ when ResourceSearchParser.SearchableTypes.Contains(type) =>
                await services.GetRequiredService<ResourceSearchService>().SearchAsync(context.Caller(), type, parameters, strict, baseUrl, context.RequestAborted),
            _ => throw new GatewayException(ErrorKind.BadRequest, "not-supported",
                $"Search is offered on Task, {string.Join(", ", ResourceSearchParser.SearchableTypes)}; read {type} resources by id", "type"),
        };
        Part2Notice.AddIf(context, part2);
        await FhirResults.WriteJsonAsync(context, bundle);
    }
}
