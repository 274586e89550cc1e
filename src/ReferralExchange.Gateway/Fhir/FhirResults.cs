using System.Globalization;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>Writes FHIR JSON responses with the headers FHIR R4 §3.1.0 asks for (ETag, Last-Modified, Location).</summary>
public static class FhirResults
{
    public const string FhirJsonMediaType = "application/fhir+json";

    public static Task WriteResourceAsync(HttpContext context, Resource resource, int? status = null)
    {
        if (status is { } s) context.Response.StatusCode = s;
        return WriteJsonAsync(context, FhirJson.Serialize(resource));
    }

    public static Task WriteStoredAsync(HttpContext context, StoredResource stored, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.ETag = stored.ETag;
        context.Response.Headers.LastModified = stored.LastUpdated.ToString("R", CultureInfo.InvariantCulture);
        return WriteJsonAsync(context, stored.Json);
    }

    public static Task WriteJsonAsync(HttpContext context, string json) => WriteJsonAsync(context, json, context.RequestAborted);

    /// <summary>
    /// An error answer is written even when the request's token has fired: a request over its time
    /// (request timeouts cancel that token) must still hear its 503.
    /// </summary>
    public static Task WriteOutcomeAsync(HttpContext context, OperationOutcome outcome) =>
        WriteJsonAsync(context, FhirJson.Serialize(outcome), CancellationToken.None);

    private static Task WriteJsonAsync(HttpContext context, string json, CancellationToken ct)
    {
        context.Response.ContentType = $"{FhirJsonMediaType}; charset=utf-8";
        return context.Response.WriteAsync(json, ct);
    }

    /// <summary>The FHIR base of every link, <c>fullUrl</c> and <c>Location</c>: the configured public one, never the request's Host header.</summary>
    public static string BaseUrl(HttpRequest request) => request.HttpContext.RequestServices.GetRequiredService<Hosting.PublicBaseUrl>().Fhir;
}
