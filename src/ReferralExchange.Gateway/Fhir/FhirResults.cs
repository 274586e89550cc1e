using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// Writes FHIR responses in the negotiated format (FHIR R4 http.html#mime) with the headers
/// http.html asks for: ETag and Last-Modified for a version, 304 for a conditional read that
/// matches (http.html#cread), and the <c>Prefer: return</c> choice after a write (http.html#ins).
/// A HEAD request gets the same status and headers, its body left out by Kestrel.
/// </summary>
public static class FhirResults
{
    public const string FhirJsonMediaType = "application/fhir+json";
    public const string FhirXmlMediaType = "application/fhir+xml";

    public static Task WriteResourceAsync(HttpContext context, Resource resource, int? status = null)
    {
        if (status is { } s) context.Response.StatusCode = s;
        return WriteJsonAsync(context, FhirJson.Serialize(resource));
    }

    public static Task WriteStoredAsync(HttpContext context, StoredResource stored, int status = StatusCodes.Status200OK) =>
        WriteStoredAsync(context, stored, stored.Json, status);

    /// <summary>A version of a resource with <paramref name="json"/> as its (shaped, possibly subsetted) body; 304 when a read's condition matches.</summary>
    public static Task WriteStoredAsync(HttpContext context, StoredResource stored, string json, int status = StatusCodes.Status200OK)
    {
        VersionHeaders(context, stored);
        if (status == StatusCodes.Status200OK && ConditionalRead.NotModified(context.Request, stored))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        return WriteJsonAsync(context, json);
    }

    /// <summary>The answer to a create or update, as <c>Prefer: return</c> asks: the resource (default), nothing, or an OperationOutcome.</summary>
    public static Task WriteWrittenAsync(HttpContext context, StoredResource stored, int status)
    {
        VersionHeaders(context, stored);
        return WritePreferredAsync(context, status, $"{stored.ResourceType}/{stored.Id} stored as version {stored.VersionId}", () => WriteJsonAsync(context, stored.Json));
    }

    /// <summary>The same for a resource kept outside the versioned store (a Subscription): no ETag, the preference still applies.</summary>
    public static Task WriteWrittenAsync(HttpContext context, Resource written, int status) =>
        WritePreferredAsync(context, status, $"{written.TypeName}/{written.Id} stored", () => WriteJsonAsync(context, FhirJson.Serialize(written)));

    private static Task WritePreferredAsync(HttpContext context, int status, string storedAs, Func<Task> writeRepresentation)
    {
        context.Response.StatusCode = status;
        switch (PreferHeader.Return(context.Request))
        {
            case ReturnPreference.Minimal:
                context.Response.Headers[PreferHeader.AppliedHeader] = "return=minimal";
                context.Response.ContentLength = 0;
                return Task.CompletedTask;
            case ReturnPreference.OperationOutcome:
                context.Response.Headers[PreferHeader.AppliedHeader] = "return=OperationOutcome";
                var outcome = new OperationOutcome();
                outcome.Issue.Add(new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Information,
                    Code = OperationOutcome.IssueType.Informational,
                    Diagnostics = storedAs,
                });
                return WriteResourceAsync(context, outcome);
            default:
                return writeRepresentation();
        }
    }

    public static Task WriteJsonAsync(HttpContext context, string json) => WriteJsonAsync(context, json, context.RequestAborted);

    /// <summary>
    /// An error answer is written even when the request's token has fired: a request over its time
    /// (request timeouts cancel that token) must still hear its 503.
    /// </summary>
    public static Task WriteOutcomeAsync(HttpContext context, OperationOutcome outcome) =>
        WriteJsonAsync(context, FhirJson.Serialize(outcome), CancellationToken.None);

    private static async Task WriteJsonAsync(HttpContext context, string json, CancellationToken ct)
    {
        var xml = FormatNegotiation.Current(context) == FhirFormat.Xml;
        var body = xml ? FhirXml.FromJson(json) : json;
        context.Response.ContentType = $"{(xml ? FhirXmlMediaType : FhirJsonMediaType)}; charset=utf-8";
        // Also what a HEAD request learns of the body it does not get.
        context.Response.ContentLength = Encoding.UTF8.GetByteCount(body);
        // Encoded straight into the response's pipe: no byte array per answer (ADR 0027).
        Encoding.UTF8.GetBytes(body, context.Response.BodyWriter);
        await context.Response.BodyWriter.FlushAsync(ct);
    }

    /// <summary>The FHIR base of every link, <c>fullUrl</c> and <c>Location</c>: the configured public one, never the request's Host header.</summary>
    public static string BaseUrl(HttpRequest request) => request.HttpContext.RequestServices.GetRequiredService<Hosting.PublicBaseUrl>().Fhir;

    private static void VersionHeaders(HttpContext context, StoredResource stored)
    {
        context.Response.Headers.ETag = stored.ETag;
        context.Response.Headers.LastModified = stored.LastUpdated.ToString("R", CultureInfo.InvariantCulture);
    }
}
